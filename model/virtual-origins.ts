// The virtual origins grading and explain stand on. The proxy (servers/proxy.ts) serves every
// one of them on this machine; `.test` is a reserved top-level domain, so none is a real site
// and no request to one leaves the machine. (The conformance cases draw from model/origins.ts.)

/** The host the browsers fetch the target on; the proxy forwards it to the real server, with the server's own Host. */
export const TARGET_HOST = 'target.test';
/** The origin the target is served on to the browsers. */
export const TARGET_ORIGIN = `https://${TARGET_HOST}`;
/** A page on the target's own site, on another origin: a sibling subdomain. */
export const SAME_SITE_ORIGIN = `https://sibling.${TARGET_HOST}`;

/** The attacker's domain: attacker hosts end in it (app.example.com.evil.test). */
export const ATTACKER_DOMAIN = 'evil.test';
/** The attacker's label, glued to or put in front of an allowed host (evilapp.example.com). */
export const ATTACKER_LABEL = 'evil';
/** An unrelated site: the arbitrary attacker, and the page on another site of the cookie policy. */
export const CROSS_SITE_ORIGIN = `https://${ATTACKER_DOMAIN}`;
/** The page that stands for any site under an origin rule of "*". */
export const ANY_SITE_ORIGIN = 'https://any-site.test';

/** Public hosting domains anyone can publish a page on, as an attacker would: the fixed battery
 *  tries these two, the origin search every one of HOSTING_ORIGINS. */
export const BATTERY_HOSTING_ORIGINS: readonly string[] = ['https://cc-attacker.github.io', 'https://codepen.io'];
export const HOSTING_ORIGINS: readonly string[] = [
  ...BATTERY_HOSTING_ORIGINS,
  'https://jsfiddle.net',
  'https://cc-attacker.netlify.app',
  'https://cc-attacker.vercel.app',
  'https://cc-attacker.pages.dev',
  'https://cc-attacker.herokuapp.com',
  'https://cc-attacker.glitch.me',
];

/** The page that hosts explain's sandboxed frame for `--origin null`. */
export const OPAQUE_HOST_ORIGIN = 'https://opaque-host.test';
