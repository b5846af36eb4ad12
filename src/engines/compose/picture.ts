// From a plan to a Picture the renderer can draw: the scene, one drawable
// per copy of each thing (or the honest placeholder), and their layout.

import type { ImageJob } from "../engine.js";
import { contentBox } from "./art-svg.js";
import { layoutThings, type Fixed, type LayoutItem, type Stage } from "./layout.js";
import { PLACEHOLDER_ASPECT, PLACEHOLDER_CONTENT } from "./placeholder.js";
import { originKey, type ElementOrigin } from "./plan-record.js";
import type { PicturePlan, Relation, RelationKind } from "./prompt.js";
import { randomFor } from "./random.js";
import { kindRatio } from "./sizes.js";
import type { Drawable, Picture } from "./render.js";
import { buildScene } from "./scene.js";
import { isAnimalWord } from "./words.js";

/** Relations where the two things stand side by side on the ground. */
const SIDE_BY_SIDE = new Set<RelationKind>(["next to", "between", "in front of", "behind"]);

/** Unrealised things shown as placeholders, at most: more would crowd out what was drawn. */
const MAX_PLACEHOLDERS = 3;

/** More copies than this stop reading as a picture: larger counts are scaled down proportionally. */
const MAX_DRAWN = 30;

export interface Element {
  drawable: Drawable;
  item: LayoutItem;
  /** Which planned copy it is (input images of an edit have none). */
  origin?: ElementOrigin;
}

/**
 * Every copy of every planned thing, subject first; copies of a thing the
 * prompt ties to another are anchored to it; then a labelled placeholder for
 * each thing no art was found for.
 */
export async function planElements(plan: PicturePlan): Promise<Element[]> {
  const out: Element[] = [];
  const total = plan.things.reduce((sum, t) => sum + t.count, 0);
  // Over the cap, every thing keeps its share (and at least one copy).
  const share = total > MAX_DRAWN ? MAX_DRAWN / total : 1;
  const firstElement: number[] = [];
  const copiesOf: number[] = [];
  const hostOf = new Map<number, number>();
  const anchoredTo = (thing: number, host: number) => {
    // Would tying `thing` to `host` close a loop? Follow host's own ties.
    for (let at: number | undefined = host; at !== undefined; at = hostOf.get(at)) if (at === thing) return true;
    return false;
  };
  for (const thing of plan.things) {
    const content = await contentBox(thing.art);
    const copies = Math.max(1, Math.floor(thing.count * share));
    firstElement.push(out.length);
    copiesOf.push(copies);
    for (let i = 0; i < copies; i++) {
      out.push({
        // A colour the prompt names wins; a material ("golden", "wooden") tints the art otherwise.
        drawable: { kind: "art", art: thing.art, colour: thing.colour?.hex ?? thing.attributes.material?.hex ?? null },
        item: { aspect: 1, content, placement: thing.art.placement, flippable: true, scale: thing.attributes.scale },
        origin: { thing: thing.id, copy: i },
      });
    }
  }
  // One relation per thing: the first the prompt gives ("a cat on a sofa next to a lamp": the cat is on the sofa).
  const tied = new Set<number>();
  for (const relation of plan.relations) {
    const { attached, host } = tieOf(relation);
    if (tied.has(attached) || attached === host || !plan.things[attached] || !plan.things[host]) continue;
    if (anchoredTo(attached, host)) continue; // a loop ("a cat on a dog on the cat") keeps the first tie
    tied.add(attached);
    // Side by side, each keeps its everyday size ("a mouse next to an elephant"); a bigger companion shrinks its host so both fit.
    const kind = SIDE_BY_SIDE.has(relation.relation) ? kindRatio(plan.things[attached].art.annotation, plan.things[host].art.annotation) : 1;
    for (let slot = 0; slot < copiesOf[attached]; slot++) {
      out[firstElement[attached] + slot].item.anchor = {
        to: firstElement[host], relation: relation.relation, slot, slots: copiesOf[attached], name: plan.things[attached].name,
        hostInProfile: inProfile(plan.things[host]), kindRatio: kind,
      };
    }
    if (kind > 1) for (const copy of out.slice(firstElement[host], firstElement[host] + copiesOf[host])) copy.item.scale = (copy.item.scale ?? 1) / kind;
    hostOf.set(attached, host);
  }
  // Free companions take their size from their kind against the subject's: a mouse beside an elephant stays small.
  const subject = out.find((e) => !e.item.anchor);
  const nameOf = (e: Element) => (e.drawable.kind === "art" ? e.drawable.art.annotation : "");
  for (const element of out) {
    if (element === subject || element.item.anchor || !subject) continue;
    element.item.scale = (element.item.scale ?? 1) * kindRatio(nameOf(element), nameOf(subject));
  }
  // A thing with no art is not invented: it stands in the picture as a labelled placeholder.
  for (const name of plan.unrealised.slice(0, MAX_PLACEHOLDERS)) {
    const placeholder = { ...placeholderElement(name), origin: { placeholder: name } };
    placeholder.item.scale = out.length > 0 ? 0.75 : 1.1;
    out.push(placeholder);
  }
  return out;
}

/**
 * Which thing of a relation is placed relative to which. Held and worn things
 * go to their holder ("a girl holding a balloon": the balloon is placed at the
 * girl's hand), and side by side is symmetric, so the thing named first stays
 * the anchor ("a sofa next to a lamp"); otherwise the subject goes to the
 * object ("a cat on a sofa").
 */
export function tieOf({ subject, relation, object }: Relation): { attached: number; host: number } {
  const hostFirst = relation === "holding" || relation === "wearing" || relation === "next to" || relation === "between";
  return hostFirst ? { attached: object, host: subject } : { attached: subject, host: object };
}

export function placeholderElement(prompt: string): Element {
  return {
    drawable: { kind: "placeholder", prompt },
    item: { aspect: PLACEHOLDER_ASPECT, content: PLACEHOLDER_CONTENT, placement: "ground", flippable: false, scale: 1.1 },
  };
}

/**
 * A generated picture: scene, things, layout. `kept` holds where copies of an
 * earlier picture's plan were drawn (plan edits): those stay put, and only new
 * things are laid out around them.
 */
export async function generatePicture(job: ImageJob, plan: PicturePlan, seed: number, redraw?: { kept: Map<string, Fixed>; layoutSeed: number }): Promise<Picture> {
  const kept = redraw?.kept;
  const { width, height } = job;
  const scene = buildScene(plan, width, height, seed, job.quality);
  let elements = await planElements(plan);
  // Nothing to draw at all: the prompt itself on a placeholder, unless it names a setting to paint ("a red sunset over the ocean").
  if (elements.length === 0 && !plan.setting.named) elements = [{ ...placeholderElement(job.prompt), origin: { placeholder: job.prompt.slice(0, 200) } }];
  for (const element of elements) {
    const fixed = element.origin && kept?.get(originKey(element.origin));
    if (fixed) element.item.fixed = fixed;
  }
  const stage: Stage = { region: { x: 0, y: 0, width, height }, groundY: scene.groundY, water: scene.water };
  const items = elements.map((e) => e.item);
  const opaque = job.background === "opaque";
  return {
    width, height, quality: job.quality, background: job.background,
    // Transparent output keeps the scene's layout but draws only the things.
    scene: opaque ? scene : null,
    grade: scene.grade,
    shadow: opaque ? scene.shadow : null,
    drawables: elements.map((e) => e.drawable),
    items,
    placed: layoutThings(items, stage, randomFor(redraw?.layoutSeed ?? seed, "layout")),
    origins: elements.map((e) => e.origin ?? null),
  };
}

/** An animal drawn whole faces sideways, its head at the front (OpenMoji's dog, cat, horse); its face alone looks out. */
function inProfile(thing: PicturePlan["things"][number]): boolean {
  return isAnimalWord(thing.name) && !/\b(face|head)\b/.test(thing.art.annotation);
}
