/**
 * The 32-bit Mersenne Twister (MT19937), seeded the way PyTorch's CPU generator
 * seeds it (`at::mt19937`, the classic `init_genrand`). All arithmetic stays in
 * 32-bit integers (`Math.imul`, `>>> 0`) so the hot loop never touches BigInt.
 */

const STATE_SIZE = 624;
const SHIFT_SIZE = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class Mt19937 {
  private readonly state = new Uint32Array(STATE_SIZE);
  private index = STATE_SIZE;

  /** `seed32` must already be reduced to an unsigned 32-bit integer. */
  constructor(seed32: number) {
    const state = this.state;
    state[0] = seed32;
    for (let i = 1; i < STATE_SIZE; i++) {
      const prev = state[i - 1]!;
      state[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** The next raw 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    if (this.index === STATE_SIZE) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Regenerate all 624 words of state at once. */
  private twist(): void {
    const state = this.state;
    for (let i = 0; i < STATE_SIZE; i++) {
      const next = i + 1 < STATE_SIZE ? i + 1 : 0;
      const shifted = i + SHIFT_SIZE < STATE_SIZE ? i + SHIFT_SIZE : i + SHIFT_SIZE - STATE_SIZE;
      const mixed = (state[i]! & UPPER_MASK) | (state[next]! & LOWER_MASK);
      // `-(mixed & 1) & MATRIX_A` is MATRIX_A when the low bit is set, without a branch.
      state[i] = state[shifted]! ^ (mixed >>> 1) ^ (-(mixed & 1) & MATRIX_A);
    }
    this.index = 0;
  }
}
