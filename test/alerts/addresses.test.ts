import { describe, expect, it } from "vitest";
import {
  AddressRefused,
  checkWebhookUrl,
  isRestrictedAddress,
  parseAllowList,
  resolveDestination,
} from "../../src/alerts/address.ts";
import { testContext } from "../helpers.ts";

const hex = (v4: string) => {
  const [a, b, c, d] = v4.split(".").map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
};
const inverted = (v4: string) => {
  const [a, b, c, d] = v4.split(".").map((o) => 255 - Number(o));
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
};

/** Every IPv6 form that carries an IPv4 address, written for `v4`. */
function forms(v4: string): Record<string, string> {
  const [high, low] = hex(v4);
  const [tHigh, tLow] = inverted(v4);
  return {
    "IPv4-mapped, dotted": `::ffff:${v4}`,
    "IPv4-mapped, hex": `::ffff:${high}:${low}`,
    "IPv4-mapped, long form": `0:0:0:0:0:ffff:${high}:${low}`,
    "IPv4-compatible, dotted": `::${v4}`,
    "IPv4-compatible, hex": `::${high}:${low}`,
    "IPv4-translated (SIIT), dotted": `::ffff:0:${v4}`,
    "IPv4-translated (SIIT), hex": `::ffff:0:${high}:${low}`,
    "NAT64 64:ff9b::/96, dotted": `64:ff9b::${v4}`,
    "NAT64 64:ff9b::/96, hex": `64:ff9b::${high}:${low}`,
    "NAT64 local-use 64:ff9b:1::/48, /96 layout": `64:ff9b:1::${high}:${low}`,
    "6to4 2002::/16": `2002:${high}:${low}::1`,
    "Teredo 2001:0::/32": `2001:0:4136:e378:8000:63bf:${tHigh}:${tLow}`,
  };
}

const RESTRICTED_V4 = {
  loopback: "127.0.0.1",
  private: "10.1.2.3",
  "private 192.168": "192.168.1.1",
  "link-local (metadata)": "169.254.169.254",
};
const PUBLIC_V4 = "93.184.216.34";

describe("IPv6 forms that carry an IPv4 address are checked as that address", () => {
  const none = parseAllowList("");
  const noDns = async () => {
    throw new Error("literal addresses are not resolved");
  };

  for (const [range, v4] of Object.entries(RESTRICTED_V4)) {
    for (const [form, address] of Object.entries(forms(v4))) {
      it(`${form} of ${range} ${v4} (${address}) is restricted`, async () => {
        expect(isRestrictedAddress(address)).toBe(true);
        // As a URL literal (the URL parser rewrites it, e.g. [::127.0.0.1] → [::7f00:1]) and as a DNS answer.
        await expect(
          resolveDestination(new URL(`http://[${address}]:8080/`), none, noDns),
        ).rejects.toBeInstanceOf(AddressRefused);
        await expect(
          resolveDestination(new URL("http://name.example/"), none, async () => [{ address, family: 6 }]),
        ).rejects.toBeInstanceOf(AddressRefused);
        // Allowing the IPv4 address (or its network) allows every form of it.
        await expect(
          resolveDestination(new URL(`http://[${address}]/`), parseAllowList(`${v4}/32`), noDns),
        ).resolves.toBeDefined();
      });
    }
  }

  for (const [form, address] of Object.entries(forms(PUBLIC_V4))) {
    it(`${form} of the public ${PUBLIC_V4} (${address}) is not restricted`, async () => {
      expect(isRestrictedAddress(address)).toBe(false);
      await expect(resolveDestination(new URL(`http://[${address}]/`), none, noDns)).resolves.toEqual({
        address: new URL(`http://[${address}]/`).hostname.slice(1, -1),
        family: 6,
      });
    });
  }

  it("the forms named in the issue, as URL literals", async () => {
    for (const url of ["http://[::7f00:1]/", "http://[::127.0.0.1]/", "http://[::ffff:0:7f00:1]/"]) {
      await expect(resolveDestination(new URL(url), none, noDns)).rejects.toBeInstanceOf(AddressRefused);
    }
  });

  it("other layouts inside the local-use NAT64 prefix are refused (what they reach is unknown); zones are ignored", () => {
    expect(isRestrictedAddress("64:ff9b:1:5db8:d822:0:0:0")).toBe(true);
    expect(isRestrictedAddress("64:ff9b:1::5db8:d822")).toBe(false); // the /96 layout of 93.184.216.34
    expect(isRestrictedAddress("fe80::1%eth0")).toBe(true);
    expect(isRestrictedAddress("2606:4700::1111")).toBe(false);
    expect(isRestrictedAddress("::")).toBe(true);
    expect(isRestrictedAddress("::1")).toBe(true);
  });
});

describe("webhook URLs with control characters", () => {
  const CONTROLS = {
    CR: "\r",
    LF: "\n",
    "CR LF": "\r\n",
    tab: "\t",
    NUL: "\u0000",
    ESC: "\u001b",
    DEL: "\u007f",
    "C1 NEL": "\u0085",
    "C1 CSI": "\u009b",
  };

  it("are refused by checkWebhookUrl wherever the character is", () => {
    for (const [name, ch] of Object.entries(CONTROLS)) {
      for (const url of [
        `https://hooks.example.com/a${ch}b`,
        `https://hooks.example.com/x${ch}`,
        `${ch}https://hooks.example.com/`,
        `https://hooks.exa${ch}mple.com/`,
      ]) {
        expect({ name, url, problem: checkWebhookUrl(url) }).toEqual({
          name,
          url,
          problem: expect.stringContaining("control characters"),
        });
      }
    }
    expect(checkWebhookUrl("https://hooks.example.com/path?q=%0D%0A")).toBeUndefined(); // escaped is fine
  });

  it("POST /v1/webhooks answers 400 naming url, and stores nothing", async () => {
    const { call, keys } = await testContext();
    for (const [name, ch] of Object.entries(CONTROLS)) {
      const res = await call("POST", "/v1/webhooks", {
        key: keys.admin,
        json: { url: `https://hooks.example.com/in${ch}jected: header` },
      });
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(res.body.error.details).toEqual([expect.objectContaining({ path: "url" })]);
    }
    expect((await call("GET", "/v1/webhooks", { key: keys.admin })).body.webhooks).toEqual([]);
  });
});
