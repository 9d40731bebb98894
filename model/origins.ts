// The virtual origins every built-in case draws from, in the spirit of WPT's
// get-host-info: the page origin, a same-site cross-origin host, a cross-site host, both
// schemes, and a third site for redirect hops. `.test` is a TLD, so a.test and b.test are
// different sites while a.test and b.a.test are the same site.
export const ORIGINS = {
  /** The page origin of most cases. */
  page: 'http://a.test',
  pageHttps: 'https://a.test',
  /** Same site as the page, another origin. */
  sameSite: 'http://b.a.test',
  sameSiteHttps: 'https://b.a.test',
  /** Another site. */
  crossSite: 'http://b.test',
  crossSiteHttps: 'https://b.test',
  /** A third site: redirect hops and "another origin" values. */
  other: 'http://other.example',
  otherHttps: 'https://other.example',
} as const;

/**
 * The cross-site host on explicit ports: bad ports of the Fetch standard, which an engine must
 * refuse before it connects, and one port that is not bad. The proxy serves them like every
 * other origin, so an engine that does connect gets the case's answer.
 */
export const PORT_ORIGINS = {
  /** x11 */
  'bad-6000': 'http://b.test:6000',
  /** smtp */
  'bad-25': 'http://b.test:25',
  /** ircu */
  'bad-6667': 'http://b.test:6667',
  /** amanda */
  'bad-10080': 'http://b.test:10080',
  /** Not a bad port. */
  'ok-8080': 'http://b.test:8080',
} as const;

export const ALL_ORIGINS: string[] = [...Object.values(ORIGINS), ...Object.values(PORT_ORIGINS)];
