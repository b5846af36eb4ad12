// Misspelt nouns ("a squirrell", "a giraff"): a word neither WordNet nor any
// art knows, one keystroke from exactly one thing that art draws by name, is
// that thing (or, when art names none, from exactly one noun WordNet knows
// and draws by its kind). One keystroke only, and only when the answer is unambiguous, so
// a rare real word is never bent into a common one.

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** Shorter words have too many neighbours to guess from; longer ones are names and compounds. */
const SHORTEST = 5;
const LONGEST = 14;

/** Every word one deletion, transposition, substitution or insertion away from `word`. */
export function oneEditAway(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of LETTERS) {
      if (tail && c !== tail[0]) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return out;
}

/**
 * The one word `draws` accepts that is a single edit from `word`, or null:
 * when `word` is a word `known` knows, is not plain lower-case letters of a
 * guessable length, or sits one edit from several drawable things.
 */
export function respell(word: string, known: (w: string) => boolean, draws: (w: string) => boolean): string | null {
  if (!/^[a-z]+$/.test(word) || word.length < SHORTEST || word.length > LONGEST || known(word)) return null;
  let found: string | null = null;
  for (const candidate of oneEditAway(word)) {
    if (!draws(candidate)) continue;
    if (found !== null) return null;
    found = candidate;
  }
  return found;
}
