// Which addresses an image URL may not reach (SSRF guard): loopback,
// private, link-local, multicast and reserved ranges, and the same IPv4
// ranges wherever IPv6 embeds an IPv4 address: IPv4-compatible (::/96),
// IPv4-mapped (::ffff:0:0/96) and -translated (::ffff:0:0:0/96), NAT64
// (64:ff9b::/96), 6to4 (2002::/16) and Teredo (2001::/32).
import { BlockList, isIPv4, isIPv6 } from "node:net";

const privateV4 = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) privateV4.addSubnet(network, prefix, "ipv4");

const privateV6 = new BlockList();
for (const [network, prefix] of [
  // Unspecified, loopback and every IPv4-compatible address (deprecated, never routed).
  ["::", 96],
  ["100::", 64], ["2001:db8::", 32], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
  // NAT64 for local use reaches whatever the operator's translator reaches.
  ["64:ff9b:1::", 48],
] as const) privateV6.addSubnet(network, prefix, "ipv6");

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (isIPv4(bare)) return privateV4.check(bare, "ipv4");
  if (!isIPv6(bare)) return true;
  if (privateV6.check(bare, "ipv6")) return true;
  const embedded = embeddedIPv4(ipv6Bytes(bare));
  return embedded !== undefined && privateV4.check(embedded, "ipv4");
}

/** The IPv4 address an IPv6 address carries, by the mechanism its prefix names. */
function embeddedIPv4(b: number[]): string | undefined {
  const v4 = (at: number, xor = 0) => [0, 1, 2, 3].map((i) => b[at + i] ^ xor).join(".");
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return v4(12); // ::ffff:0:a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12); // 64:ff9b::a.b.c.d
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002:AABB:CCDD::
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return v4(12, 0xff); // Teredo: the client, inverted
  return undefined;
}

/** The 16 bytes of a valid IPv6 address (as net.isIPv6 accepts it). */
function ipv6Bytes(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const groups = (part: string) => (part ? part.split(":") : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right].map((g) => parseInt(g, 16));
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}
