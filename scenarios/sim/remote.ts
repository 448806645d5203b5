/** A simulator already running at a URL, driven through its control API (/_sim). */
import type { FaultRuleInput, JournalEntry } from '../../simulator/index.js';
import { basicAuth, requestJson } from './http.js';
import type { SimTarget } from './target.js';

export function remoteTarget(url: string): SimTarget {
  const parsed = new URL(url);
  const username = decodeURIComponent(parsed.username) || 'user';
  const password = decodeURIComponent(parsed.password) || 'pass';
  parsed.username = '';
  parsed.password = '';
  if (!parsed.pathname.endsWith('/sdk')) parsed.pathname = parsed.pathname.replace(/\/?$/, '/sdk');
  const controlUrl = `${parsed.origin}/_sim`;
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await requestJson(`${controlUrl}${path}`, method, { authorization: basicAuth(username, password) }, body);
    if (res.status >= 400) throw new Error(`${method} /_sim${path}: ${res.status} ${typeof res.body === 'object' ? (res.body as { message?: string }).message : res.text}`);
    return res.body;
  };
  return {
    url: parsed.toString(),
    username,
    password,
    controlUrl,
    addRule: async (rule: FaultRuleInput) => ((await control('POST', '/faults', rule)) as { id: string }).id,
    removeRule: async (id) => void (await control('DELETE', `/faults/${encodeURIComponent(id)}`)),
    journal: async (after) => ((await control('GET', '/journal')) as JournalEntry[]).filter((e) => e.seq > after),
    lastSeq: async () => ((await control('GET', '/journal?limit=1')) as JournalEntry[])[0]?.seq ?? 0,
    action: (kind, args) => control('POST', `/actions/${kind}`, args),
    close: async () => {},
  };
}
