// Edits of a picture compose drew: the picture's recorded plan (plan-record.ts)
// is changed by the edit prompt and drawn again from the same seed, so what
// did not change stays where it was and nothing is drawn twice. The prompt is
// read sentence by sentence; each sentence is one of:
//   remove   "remove the otter", "take away the hat"
//   recolour "make the cat orange", "change the colour of the hat to blue"
//   move     "move the cat to the left", "put the dog in the middle"
//   restyle  "make it look realistic", "turn it into a watercolor"
//   setting  "put it on a beach", "make it night"
//   add      "add a red hat to the cat", "give the otter a scarf"
//   describe anything else: a description of the picture (what the Responses
//            API's revised prompts are). Things it names that the plan has are
//            kept (with the colours it gives them); new ones are added; and when
//            it names the plan's subject first it is the whole picture, so
//            things it leaves out are removed.
import type { ArtIndex } from "./art-index.js";
import { getArtIndex } from "./art-index.js";
import { isColourWord, namedColour } from "./colour.js";
import { dropTextCarriers } from "./finish.js";
import type { Fixed } from "./layout.js";
import { boxIn, originKey, type ComposeRecord } from "./plan-record.js";
import { tieOf } from "./picture.js";
import { MAX_THINGS, planPicture, type PicturePlan, type Relation, type Setting, type ThingPlan } from "./prompt.js";
import { quotedTexts, type QuotedText } from "./quoted-text.js";
import { detectStyle, type StyleName } from "./style.js";
import { materialOf } from "./understand/attributes.js";
import { normaliseWords, WEARABLES } from "./words.js";

export type MovePlace = "left" | "right" | "top" | "bottom" | "centre";

/** What an edit did to the plan, as `explain` shows it. */
export interface PlanChange {
  added: string[];
  removed: string[];
  recoloured: { thing: string; colour: string }[];
  moved: { thing: string; to: MovePlace }[];
  restyled: { from: StyleName | null; to: StyleName | null } | null;
  setting: { from: string; to: string } | null;
  /** Sentences of the prompt that changed nothing Easel could read. */
  unread: string[];
}

export interface ChangedPlan {
  plan: PicturePlan;
  style: StyleName | null;
  texts: QuotedText[];
  /** Where kept copies stay, in the edit's pixels, by origin key (plan-record.ts). */
  kept: Map<string, Fixed>;
  change: PlanChange;
}

/** One thing while the plan changes: its plan, where its copies were drawn, and whether it stays. */
interface Entry {
  thing: ThingPlan;
  /** Recorded copies, by copy number, in the edit's pixels. */
  boxes: Map<number, Fixed>;
  removed: boolean;
}

const LEAD_IN = /^(?:(?:please|pls|kindly|ok(?:ay)?|alright|so|now|then|and|also|next|finally|lastly|(?:can|could|would|will) you(?: please)?|i(?:'d| would) like(?: you)? to|i want(?: you)? to|let's|go ahead and)\b[,!.:;\s-]*)+/i;
const REF = String.raw`(?:it|this|that|everything|the (?:image|picture|photo|drawing|painting|scene|whole thing|whole picture|result))`;
const REMOVE = new RegExp(String.raw`^(?:remove|delete|erase|take (?:out|away)|get rid of|drop|lose|hide)\s+(.+?)(?:\s+from\s+${REF})?$`, "i");
const TAKE_AWAY = new RegExp(String.raw`^(?:take|get)\s+(.+?)\s+(?:out|away)(?:\s+(?:of|from)\s+${REF})?$`, "i");
const RECOLOUR_OF = /^(?:change|make|set|turn)\s+(?:the\s+)?colou?r\s+of\s+(.+?)\s+(?:to|into)\s+(.+)$/i;
const RECOLOUR = /^(?:make|turn|paint|colou?r|recolou?r|change|dye)\s+(.+?)\s+(?:to\s+|into\s+|in\s+)?((?:(?:light|dark|pale|bright|deep|pastel)\s+)?[a-z]+)$/i;
const MOVE = /^(?:move|put|place|shift|push|slide|bring)\s+(.+?)\s+(?:to|on|at|over to|towards?|in(?:to)?)\s+(?:the\s+)?(?:far\s+|very\s+)?(left|right|top|bottom|cent(?:er|re)|middle)(?:\s+(?:side|edge|corner|half))?(?:\s+of\s+${REF})?$/i;
const RESTYLE = new RegExp(String.raw`^(?:make|render|redo|redraw|restyle|recreate|turn|change|convert|transform|do|draw|paint|show|put)\s+${REF}\b\s*(.*)$`, "i");
const ADD = /^(?:add|put|place|include|insert|draw|attach|stick)\s+(.+)$/i;
const GIVE = /^give\s+(.+?)\s+((?:an?|some|the|\d+|two|three|four|five)\s+.+)$/i;

const clean = (text: string) => text.replace(/\s+/g, " ").replace(/^[\s,.;:!?-]+|[\s,.;:!?]+$/g, "");

/** The edit prompt applied to the recorded plan; width and height are the edit's. */
export function changePlan(record: ComposeRecord, prompt: string, size: { width: number; height: number }, artDirs: string[] = []): ChangedPlan {
  const index = getArtIndex(artDirs);
  const state = new PlanState(record, size, index, artDirs);
  for (const sentence of sentencesOf(prompt)) state.apply(sentence);
  return state.result();
}

function sentencesOf(prompt: string): string[] {
  return prompt
    .split(/(?<=[.!?;])\s+|\n+/)
    .map((s) => clean(s).replace(LEAD_IN, ""))
    .map(clean)
    .filter(Boolean)
    .slice(0, 32);
}

class PlanState {
  private readonly entries: Entry[] = [];
  private relations: Relation[];
  private setting: Setting;
  private style: StyleName | null;
  private texts: QuotedText[];
  private unrealised: string[];
  private readonly placeholders = new Map<string, Fixed>();
  /** Whether the edit gave new quoted text (an edit that only relabels adds no thing but did something). */
  private textsChanged = false;
  private readonly change: PlanChange = { added: [], removed: [], recoloured: [], moved: [], restyled: null, setting: null, unread: [] };

  constructor(
    record: ComposeRecord,
    private readonly size: { width: number; height: number },
    index: ArtIndex,
    private readonly artDirs: string[],
  ) {
    const { width, height } = size;
    const alive = new Map<number, number>();
    record.things.forEach((t, id) => {
      // Art is found again by name: the file says what to draw, never which file to read.
      const match = index.lookup(t.name);
      if (!match) return;
      alive.set(id, this.entries.length);
      const material = t.material ? materialOf(t.material) : null;
      const thing: ThingPlan = {
        id: this.entries.length, name: t.name, phrase: t.phrase, count: t.count, colour: t.colour,
        attributes: { size: t.size, scale: t.scale, material }, art: match.art,
      };
      this.entries.push({ thing, boxes: new Map(), removed: false });
    });
    for (const placement of record.placed) {
      const box = { ...boxIn(placement, width, height), grounded: placement.grounded };
      if ("placeholder" in placement.origin) this.placeholders.set(placement.origin.placeholder, box);
      else if (alive.has(placement.origin.thing)) this.entries[alive.get(placement.origin.thing)!].boxes.set(placement.origin.copy, box);
    }
    this.relations = record.relations
      .filter((r) => alive.has(r.subject) && alive.has(r.object))
      .map((r) => ({ ...r, subject: alive.get(r.subject)!, object: alive.get(r.object)! }));
    this.setting = record.setting;
    this.style = record.style;
    this.texts = record.texts.map((t) => ({ ...t, start: 0, end: 0 }));
    this.unrealised = record.unrealised;
  }

  apply(sentence: string): void {
    let m: RegExpExecArray | null;
    if ((m = REMOVE.exec(sentence) ?? TAKE_AWAY.exec(sentence))) return this.remove(m[1], sentence);
    if ((m = RECOLOUR_OF.exec(sentence))) return this.recolour(m[1], m[2], sentence);
    // "make the cat orange"; "make it blue" recolours the subject.
    if ((m = RECOLOUR.exec(sentence)) && colourOf(m[2])) return this.recolour(m[1], m[2], sentence);
    if ((m = MOVE.exec(sentence))) return this.move(m[1], m[2].toLowerCase(), sentence);
    if ((m = RESTYLE.exec(sentence))) return this.restyle(m[1], sentence);
    if ((m = GIVE.exec(sentence))) return this.add(`${m[1]} with ${m[2]}`, sentence);
    if ((m = ADD.exec(sentence))) return this.add(m[1], sentence);
    this.describe(sentence);
  }

  private live(): number[] {
    return this.entries.map((_, i) => i).filter((i) => !this.entries[i].removed);
  }

  /** The live things a phrase names ("the cat", "the otter and the hat", "it"): matched by art name. */
  private named(phrase: string): number[] {
    if (new RegExp(`^(?:${REF}|him|her|them|they)$`, "i").test(phrase.trim())) return this.live().slice(0, 1);
    const reading = planPicture(phrase, { artDirs: this.artDirs });
    const found = new Set<number>();
    for (const thing of reading.things) {
      const i = this.find(thing.name, found);
      if (i >= 0) found.add(i);
    }
    // A name the art index does not know may still be a recorded thing's word ("the kitty" → none; "the tabby" → cat's phrase).
    if (found.size === 0) {
      const words = new Set(normaliseWords(phrase));
      for (const i of this.live()) if (normaliseWords(this.entries[i].thing.phrase).some((w) => words.has(w))) found.add(i);
    }
    return [...found];
  }

  /** The first live thing of that art name not already taken, else of a kind it names ("the cat" is the tabby cat drawn). */
  private find(name: string, taken: Set<number> = new Set()): number {
    const free = this.live().filter((i) => !taken.has(i));
    return free.find((i) => this.entries[i].thing.name === name) ?? free.find((i) => this.entries[i].thing.name.endsWith(` ${name}`)) ?? -1;
  }

  private remove(phrase: string, sentence: string): void {
    const targets = this.named(phrase);
    if (targets.length === 0) return void this.change.unread.push(sentence);
    for (const i of targets) this.drop(i);
  }

  /** Removes a thing and what it wears or holds (a hat does not float where the cat was), unless `spared`. */
  private drop(i: number, spared: ReadonlySet<number> = new Set()): void {
    const entry = this.entries[i];
    if (entry.removed || spared.has(i)) return;
    entry.removed = true;
    this.change.removed.push(entry.thing.name);
    for (const r of this.relations) {
      const { attached, host } = tieOf(r);
      if (host === i && (r.relation === "wearing" || r.relation === "holding" || r.relation === "on" || r.relation === "inside")) this.drop(attached, spared);
    }
  }

  /** Whether a live thing is still tied to a live host (its tie goes when the host is removed). */
  private tied(i: number): boolean {
    return this.relations.some((r) => {
      const { attached, host } = tieOf(r);
      return attached === i && !this.entries[host].removed;
    });
  }

  private recolour(phrase: string, colourWords: string, sentence: string): void {
    const colour = colourOf(colourWords);
    const targets = this.named(phrase);
    if (!colour || targets.length === 0) return void this.change.unread.push(sentence);
    for (const i of targets) {
      this.entries[i].thing = { ...this.entries[i].thing, colour };
      this.change.recoloured.push({ thing: this.entries[i].thing.name, colour: colour.name });
    }
  }

  /** Moves a thing's copies (and what is tied to it) so their middle is at the named place. */
  private move(phrase: string, where: string, sentence: string): void {
    const targets = this.named(phrase);
    const to: MovePlace = where === "middle" || where.startsWith("cent") ? "centre" : (where as MovePlace);
    const boxes = targets.flatMap((i) => [...this.entries[i].boxes.values()]);
    if (boxes.length === 0) return void this.change.unread.push(sentence);
    const { width, height } = this.size;
    const left = Math.min(...boxes.map((b) => b.x));
    const right = Math.max(...boxes.map((b) => b.x + b.width));
    const top = Math.min(...boxes.map((b) => b.y));
    const bottom = Math.max(...boxes.map((b) => b.y + b.height));
    // The group's middle goes toward the named side, as far as the picture allows (boxes carry transparent margins, so a little overhang is fine).
    const shift = (target: number, lo: number, hi: number, extent: number) => {
      const overhang = (hi - lo) * 0.05;
      return Math.min(Math.max(target - (lo + hi) / 2, -lo - overhang), extent - hi + overhang);
    };
    const dx = to === "left" ? shift(width * 0.28, left, right, width) : to === "right" ? shift(width * 0.72, left, right, width) : to === "centre" ? shift(width / 2, left, right, width) : 0;
    const dy = to === "top" ? shift(height * 0.3, top, bottom, height) : to === "bottom" ? shift(height * 0.75, top, bottom, height) : 0;
    const moving = new Set(targets);
    // What is worn, held, on or next to a moved thing moves with it.
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of this.relations) {
        const { attached, host } = tieOf(r);
        if (moving.has(host) && !moving.has(attached)) (moving.add(attached), (grew = true));
      }
    }
    for (const i of moving) {
      for (const [copy, box] of this.entries[i].boxes) this.entries[i].boxes.set(copy, { ...box, x: box.x + dx, y: box.y + dy, grounded: box.grounded && dy === 0 });
    }
    for (const i of targets) this.change.moved.push({ thing: this.entries[i].thing.name, to });
  }

  /** "make it look realistic", "turn it into a watercolor", "put it on a beach", "make it night". */
  private restyle(rest: string, sentence: string): void {
    const style = detectStyle(rest);
    const setting = planPicture(rest, { artDirs: this.artDirs });
    let changed = false;
    if (style) {
      this.setStyle(style.style);
      changed = true;
    }
    if (setting.setting.named) {
      this.setSetting(setting.setting);
      changed = true;
    }
    if (!changed) this.describe(rest || sentence);
  }

  private setStyle(style: StyleName | null): void {
    if (style === this.style) return;
    this.change.restyled = { from: this.change.restyled?.from ?? this.style, to: style };
    this.style = style;
  }

  private setSetting(setting: Setting): void {
    const describe = (s: Setting) => [s.place, s.timeOfDay === "day" ? null : s.timeOfDay].filter(Boolean).join(" at ");
    // "make it night" names a time, not a place: the place stays.
    const next: Setting = setting.place === "meadow" && !setting.phrase && this.setting.named ? { ...this.setting, time: setting.time, timeOfDay: setting.timeOfDay } : setting;
    if (describe(next) === describe(this.setting) && next.backdrop === this.setting.backdrop) return;
    this.change.setting = { from: this.change.setting?.from ?? describe(this.setting), to: describe(next) };
    this.setting = next;
  }

  /** "a red hat to the cat" is read as "the cat with a red hat": the hat goes on the cat. */
  private add(what: string, sentence: string): void {
    const text = what.replace(/^(.+?)\s+(?:to|for)\s+((?:the|his|her|its|their)\s+.+)$/i, "$2 with $1");
    const before = this.change.added.length;
    this.merge(text, false, true);
    if (this.change.added.length === before && !this.textsChanged) this.change.unread.push(sentence);
  }

  private describe(sentence: string): void {
    const style = detectStyle(sentence);
    const reading = planPicture(sentence, { artDirs: this.artDirs });
    // A bare style sentence ("realistic", "in watercolor") changes the style alone.
    if (reading.things.length === 0 && reading.unrealised.length === 0 && reading.absent.length === 0) {
      if (style) this.setStyle(style.style);
      if (reading.setting.named) this.setSetting(reading.setting);
      if (!style && !reading.setting.named && quotedTexts(sentence).length === 0) this.change.unread.push(sentence);
    }
    const subject = this.live()[0];
    const whole = subject !== undefined && reading.things[0]?.name === this.entries[subject].thing.name;
    this.merge(sentence, whole, false, reading);
    if (whole) this.setStyle(style?.style ?? null);
  }

  /**
   * Things a piece of text names, merged into the plan: named ones are kept
   * (taking a colour the text gives them), new ones added with their
   * relations; when `whole`, the text describes the whole picture and what it
   * leaves out goes.
   */
  private merge(text: string, whole: boolean, adding = false, read: PicturePlan = planPicture(text, { artDirs: this.artDirs })): void {
    const texts = quotedTexts(text);
    if (texts.length > 0) {
      this.texts = texts;
      this.textsChanged = true;
    }
    const reading = dropTextCarriers(read, texts);
    // "…, without the otter": what the text says is not there goes.
    const removedBefore = this.change.removed.length;
    for (const name of reading.absent) {
      const i = this.find(name);
      if (i >= 0) this.drop(i);
      this.unrealised = this.unrealised.filter((other) => other !== name);
    }
    // What went with them (the otter's scarf) is not brought back by the rest of the text naming it.
    const goneNow = new Set(this.change.removed.slice(removedBefore));
    const target = new Map<number, number>();
    const taken = new Set<number>();
    for (const thing of reading.things) {
      // What is added is new ("give the otter a hat" when the cat has one); only "the hat" points back.
      const i = adding && !definite(text, thing.phrase) ? -1 : this.find(thing.name, taken);
      if (i < 0 && goneNow.has(thing.name)) continue;
      if (i >= 0) {
        taken.add(i);
        target.set(thing.id, i);
        if (thing.colour && thing.colour.hex !== this.entries[i].thing.colour?.hex) {
          this.entries[i].thing = { ...this.entries[i].thing, colour: thing.colour };
          this.change.recoloured.push({ thing: thing.name, colour: thing.colour.name });
        }
        continue;
      }
      target.set(thing.id, this.entries.length);
      this.entries.push({ thing: { ...thing, id: this.entries.length }, boxes: new Map(), removed: false });
      this.change.added.push(thing.name);
    }
    if (whole) for (const i of this.live()) if (!taken.has(i) && !reading.things.some((t) => target.get(t.id) === i)) this.drop(i, taken);
    const isNew = (i: number) => this.entries[i].boxes.size === 0;
    for (const r of reading.relations) {
      const subject = target.get(r.subject);
      const object = target.get(r.object);
      if (subject === undefined || object === undefined) continue;
      const relation = wornOn({ subject, object, relation: r.relation }, this.entries[subject].thing.name);
      // Relations between things already drawn are already drawn; only new things are placed by them,
      // and kept things whose host went ("a cat with a scarf" once the otter that wore it is gone).
      const { attached } = tieOf(relation);
      if (!isNew(subject) && !isNew(object)) {
        if (this.tied(attached)) continue;
        this.entries[attached].boxes.clear();
      }
      this.relations.push(relation);
    }
    for (const name of reading.unrealised) if (!this.unrealised.includes(name)) (this.unrealised = [...this.unrealised, name]), this.change.added.push(name);
    if (whole) this.unrealised = this.unrealised.filter((name) => reading.unrealised.includes(name));
    if (reading.setting.named) this.setSetting(reading.setting);
  }

  result(): ChangedPlan {
    // However many sentences added things, one picture keeps its first MAX_THINGS, as a prompt's plan does.
    const live = this.live().slice(0, MAX_THINGS);
    const newId = new Map(live.map((i, k) => [i, k]));
    const things = live.map((i, k) => ({ ...this.entries[i].thing, id: k }));
    const kept = new Map<string, Fixed>();
    live.forEach((i, k) => {
      for (const [copy, box] of this.entries[i].boxes) if (copy < this.entries[i].thing.count) kept.set(originKey({ thing: k, copy }), box);
    });
    for (const name of this.unrealised) {
      const box = this.placeholders.get(name);
      if (box) kept.set(originKey({ placeholder: name }), box);
    }
    const seen = new Set<number>();
    const relations = this.relations
      .filter((r) => newId.has(r.subject) && newId.has(r.object))
      .map((r) => ({ ...r, subject: newId.get(r.subject)!, object: newId.get(r.object)! }))
      .filter((r) => {
        // One tie per attached thing, as planElements keeps: the first.
        const { attached } = tieOf(r);
        if (seen.has(attached)) return false;
        seen.add(attached);
        return true;
      });
    const plan: PicturePlan = { things, relations, setting: this.setting, unrealised: this.unrealised.slice(0, MAX_THINGS), unmatched: [], absent: [] };
    return { plan, style: this.style, texts: this.texts, kept, change: this.change };
  }
}

/** "a hat on the cat" is a hat the cat wears. */
function wornOn(r: Relation, subjectName: string): Relation {
  if ((r.relation === "on" || r.relation === "inside") && WEARABLES.has(subjectName)) return { subject: r.object, relation: "wearing", object: r.subject };
  return r;
}

/** Whether the text names the phrase with "the", "its", "her" …: a thing already there. */
function definite(text: string, phrase: string): boolean {
  const head = normaliseWords(phrase).at(-1);
  if (!head) return false;
  return new RegExp(String.raw`\b(?:the|this|that|his|her|its|their|these|those)\s+(?:[\w-]+\s+){0,3}?${head}`, "i").test(text);
}

function colourOf(words: string) {
  const parts = normaliseWords(words);
  const word = parts.at(-1);
  if (!word || !isColourWord(word) || parts.length > 2) return null;
  return namedColour(word, parts.length === 2 ? parts[0] : undefined);
}
