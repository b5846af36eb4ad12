// Misspelt nouns ("a squirrell", "a giraff"): a word neither WordNet nor any
// art knows, one keystroke from exactly one thing that art draws by name, with
// the same first letter, is that thing (or, when art names none, from exactly
// one noun WordNet knows and draws by its kind). A long word with nothing one
// keystroke away may be two from one thing art draws by name, with the same
// first letter ("a bycicle", "a butterflie"). Only when the answer is
// unambiguous, so a rare real word is never bent into a common one.

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
 * The one word a `draws` test accepts that is a single edit from `word`, or
 * null: when `word` is a word `known` knows, is not plain lower-case letters
 * of a guessable length, or no test accepts exactly one neighbour. Tests are
 * tried in order: a later one only when the earlier found none, or several.
 */
export function respell(word: string, known: (w: string) => boolean, ...draws: ((w: string) => boolean)[]): string | null {
  if (!/^[a-z]+$/.test(word) || word.length < SHORTEST || word.length > LONGEST || known(word)) return null;
  // A slip of the first letter is rarest of all: a "zester" is no misspelt jester.
  const neighbours = new Set([...oneEditAway(word)].filter((w) => w[0] === word[0]));
  for (const drawable of draws) {
    const found = onlyOne(neighbours, drawable);
    if (found !== null) return found;
  }
  return null;
}

/** Words this long have few neighbours two keystrokes away. */
const SHORTEST_FOR_TWO = 7;

/**
 * The one word of `drawn` (names art draws) two edits from `word`, with its first letter and a length within two,
 * or null. For a word `respell` found nothing for; `drawn` is scanned, not `word`'s hundred thousand neighbours.
 */
export function respellFurther(word: string, drawn: readonly string[]): string | null {
  if (!/^[a-z]+$/.test(word) || word.length < SHORTEST_FOR_TWO || word.length > LONGEST) return null;
  let found: string | null = null;
  for (const w of drawn) {
    if (w[0] !== word[0] || Math.abs(w.length - word.length) > 2 || editDistance(word, w, 2) > 2) continue;
    if (found !== null) return null;
    found = w;
  }
  return found;
}

/** Edits (deletion, insertion, substitution, transposition of neighbours) from `a` to `b`, or `limit + 1` once past it. */
export function editDistance(a: string, b: string, limit: number): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/** The one member of `words` that `accepts`, or null when none or several do. */
function onlyOne(words: Set<string>, accepts: (w: string) => boolean): string | null {
  let found: string | null = null;
  for (const w of words) {
    if (!accepts(w)) continue;
    if (found !== null) return null;
    found = w;
  }
  return found;
}
