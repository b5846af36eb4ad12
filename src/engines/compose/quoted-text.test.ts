import { describe, expect, it } from "vitest";
import { quotedTexts } from "./quoted-text.js";
import { planPicture } from "./prompt.js";

const texts = (prompt: string) => quotedTexts(prompt).map(({ text, role }) => ({ text, role }));

describe("quotedTexts", () => {
  it("finds text in straight and typographic quotes", () => {
    expect(texts(`a spa bottle labeled 'Relax & Unwind'`)).toEqual([{ text: "Relax & Unwind", role: "label" }]);
    expect(texts(`a sign that says "OPEN"`)).toEqual([{ text: "OPEN", role: "sign" }]);
    expect(texts(`a banner reading “Happy Birthday Mia!”`)).toEqual([{ text: "Happy Birthday Mia!", role: "title" }]);
    expect(texts(`a mug with the words ‘Good Morning’ on it`)).toEqual([{ text: "Good Morning", role: "label" }]); // on the mug itself
    expect(texts(`a book titled «Night Sky»`)).toEqual([{ text: "Night Sky", role: "title" }]);
  });

  it("does not take apostrophes for quotes", () => {
    expect(texts("a children's book drawing of a bear")).toEqual([]);
    expect(texts("the kids' room with a teddy bear")).toEqual([]);
    expect(texts("a children’s book illustration, a dog’s bowl")).toEqual([]);
    expect(texts(`a café sign that says 'Mia's Café'`)).toEqual([{ text: "Mia's Café", role: "sign" }]);
    expect(texts(`the kids' room with a 'Welcome' sign`)).toEqual([{ text: "Welcome", role: "sign" }]);
    expect(texts(`a sign saying 'the kids' corner' by the door`)).toEqual([{ text: "the kids' corner", role: "sign" }]);
  });

  it("reads the role from the words around the quote", () => {
    expect(texts(`a jar labelled 'Cookies'`)[0].role).toBe("label");
    expect(texts(`a dog with a tag 'Rex'`)[0].role).toBe("label");
    expect(texts(`a poster titled 'Summer Fest'`)[0].role).toBe("title");
    expect(texts(`a neon 'OPEN' sign in a window`)[0].role).toBe("sign");
    expect(texts(`a shop window, 'SALE' sign on the door`)[0].role).toBe("sign");
    expect(texts(`a cake with the text 'Happy Birthday Mia!'`)[0].role).toBe("caption");
    expect(texts(`a t-shirt that says 'I love NY'`)[0].role).toBe("caption");
    expect(texts(`a cat named 'Tom'`)[0].role).toBe("label");
  });

  it("finds several quotations, each with its own role and position", () => {
    const prompt = `a sign that says 'OPEN' above a jar labeled "Candy"`;
    const found = quotedTexts(prompt);
    expect(found.map((q) => [q.text, q.role])).toEqual([["OPEN", "sign"], ["Candy", "label"]]);
    expect(prompt.slice(found[1].start, found[1].end)).toBe(`"Candy"`);
  });

  it("ignores empty and unclosed quotes", () => {
    expect(texts(`a sign that says '' and a "dangling quote`)).toEqual([]);
  });
});

describe("text written on a thing", () => {
  it("is a label on it, not a caption", () => {
    expect(quotedTexts("a birthday cake with 'Happy Birthday' written on it").map((t) => t.role)).toEqual(["label"]);
    expect(quotedTexts("a mug with 'Coffee' printed on the side").map((t) => t.role)).toEqual(["label"]);
    expect(quotedTexts("a cat, with the words 'good night'").map((t) => t.role)).toEqual(["caption"]);
  });
});

describe("lettering in capitals without quotes", () => {
  it("is text after a word that says what is written, up to the first small letter", () => {
    expect(quotedTexts("a neon sign spelling OPEN 24 HOURS").map((t) => [t.text, t.role])).toEqual([["OPEN 24 HOURS", "sign"]]);
    expect(quotedTexts("a sign that reads NO PARKING on a wall").map((t) => t.text)).toEqual(["NO PARKING"]);
    // (Not a name, nor a word in small letters.)
    expect(quotedTexts("a book titled War and Peace")).toEqual([]);
    expect(quotedTexts("a man says hello")).toEqual([]);
  });

  it("is not drawn as a thing", () => {
    expect(planPicture("a neon sign spelling OPEN 24 HOURS").things.map((t) => t.art.annotation)).toEqual(["neon sign"]);
  });
});
