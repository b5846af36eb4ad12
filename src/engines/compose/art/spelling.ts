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
 * The one word a `draws` test accepts that is a single edit from `word`, or
 * null: when `word` is a word `known` knows, is not plain lower-case letters
 * of a guessable length, or no test accepts exactly one neighbour. Tests are
 * tried in order: a later one only when the earlier found none, or several.
 */
export function respell(word: string, known: (w: string) => boolean, ...draws: ((w: string) => boolean)[]): string | null {
  if (!/^[a-z]+$/.test(word) || word.length < SHORTEST || word.length > LONGEST || known(word)) return null;
  const neighbours = oneEditAway(word);
  for (const drawable of draws) {
    const found = onlyOne(neighbours, drawable);
    if (found !== null) return found;
  }
  return null;
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
