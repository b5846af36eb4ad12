import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "./private-addresses.js";

describe("isPrivateAddress", () => {
  it("refuses loopback, private, link-local, shared, multicast and reserved IPv4", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.0.8"]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });

  it("refuses the same addresses inside IPv6, however they are embedded", () => {
    for (const a of [
      "::1", "::", "::127.0.0.1", "::7f00:1", "::a00:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:0:127.0.0.1", "64:ff9b::127.0.0.1",
      "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2002:c0a8:101::1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "fe80::1%eth0", "fc00::1", "fd12:3456::1",
      "ff02::1", "fec0::1", "64:ff9b:1::1", "[::1]",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
  });

  it("lets public addresses through, embedded ones too", () => {
    for (const a of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7"]) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it("treats what is not an address as private", () => {
    expect(isPrivateAddress("example.com")).toBe(true);
  });
});
