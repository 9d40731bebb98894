// What every results file says about how the engines were set up, so no reader mistakes
// a harness choice for browser behaviour.
export const RUN_NOTES: readonly string[] = [
  'Every origin is virtual: a local proxy serves the probe page for each origin and forwards the rest to the fixture server on 127.0.0.1.',
  'https origins use a certificate generated for this run; browsers were told to accept it (ignoreHTTPSErrors / acceptInsecureCerts), and pages on them were secure contexts.',
  'Chromium sends loopback through the proxy too (--proxy-bypass-list=<-loopback>), so no page fetched 127.0.0.1 directly and Local Network Access checks never applied; LNA is real Chromium behaviour that users meet on private networks.',
  "Automatic HTTPS upgrades are off in Chromium and Firefox, so http origins stay http; the Mixed Content upgrade of an https page's images, audio and video is not, and is measured.",
  "The proxy also serves the cross-site host on four bad ports (25, 6000, 6667, 10080) and on 8080, so an engine that connected to a bad port would get the case's answer instead of a refusal.",
  "The browser's own reason for a block is its console line: Chromium's over CDP, Firefox's network security messages over WebDriver BiDi, and WebKitGTK's through its remote Web Inspector, attached to the page (Console domain only) beside WebKitWebDriver, because MiniBrowser under automation never prints its console.",
  'Cookies are set by a first-party navigation to the target host (SameSite=Lax on http, SameSite=None; Secure on https); whether a browser then sends them cross-site is its cookie policy, not CORS.',
];
