import { describe, expect, it } from "vitest";
import { ICON_SETS, iconName } from "./icon-sets.js";

const spec = (prefix: string) => ICON_SETS.find((s) => s.prefix === prefix)!;

describe("icon names", () => {
  it.each([
    ["mdi", "hat-fedora", "fedora hat"],
    ["mdi", "food-croissant", "croissant"],
    ["mdi", "dog-side", "dog"],
    ["fa6-solid", "hat-cowboy-side", "cowboy hat"],
    ["fa6-solid", "truck-pickup", "pickup truck"],
    ["icon-park-solid", "radish-one", "radish"],
    ["icon-park-solid", "clock-tower", "clock tower"],
    ["temaki", "fire-hydrant", "fire hydrant"],
  ])("%s:%s is a %s", (prefix, id, name) => expect(iconName(id, spec(prefix))?.join(" ")).toBe(name));

  it.each([
    ["mdi", "car-off"],
    ["mdi", "earth-box"],
    ["mdi", "account-cowboy-hat"],
    ["mdi", "lock-reset"],
    ["mdi", "car-clock"],
    ["game-icons", "rank-3"],
  ])("%s:%s is not a thing", (prefix, id) => expect(iconName(id, spec(prefix))).toBeNull());
});
