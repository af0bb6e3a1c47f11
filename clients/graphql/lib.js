// Shared by the scenario's tests: where Gorgon runs, how to authenticate, and a fetch that
// records what each client really sent (method, URL, body), to assert on the wire format.
export const base = process.env.GORGON_URL ?? 'http://127.0.0.1:9000';
export const endpoint = `${base}/graphql`;
export const token = process.env.GORGON_TOKEN ?? 'ref_token';
export const auth = { Authorization: `Bearer ${token}` };

export function recordingFetch() {
  const sent = [];
  const f = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    sent.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(init.body) : undefined });
    return fetch(input, init);
  };
  return { fetch: f, sent };
}
