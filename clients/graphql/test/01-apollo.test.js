// Apollo Client 4: automatic persisted queries (hash first, query on PersistedQueryNotFound,
// hash alone afterwards, also over GET) and BatchHttpLink batching, as frontend teams set it up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { HttpLink } from '@apollo/client/link/http';
import { BatchHttpLink } from '@apollo/client/link/batch-http';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { endpoint, auth, recordingFetch } from '../lib.js';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

const REGIONS = gql`
  query Regions {
    regions(first: 10) {
      totalCount
      edges { node { id name currencyCode } }
    }
  }
`;
const VIEWER = gql`
  query Viewer {
    viewer { email }
  }
`;

test('persisted queries and batching through BatchHttpLink', async () => {
  const rec = recordingFetch();
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: new PersistedQueryLink({ sha256 }).concat(
      new BatchHttpLink({ uri: endpoint, headers: auth, fetch: rec.fetch, batchInterval: 20 })
    ),
  });
  const [regions, viewer] = await Promise.all([
    client.query({ query: REGIONS, fetchPolicy: 'network-only' }),
    client.query({ query: VIEWER, fetchPolicy: 'network-only' }),
  ]);
  assert.equal(viewer.data.viewer.email, 'admin@medusa-test.com');
  assert.ok(regions.data.regions.totalCount >= 1, 'the seeded regions');
  assert.equal(regions.data.regions.edges.length, regions.data.regions.totalCount);

  // First a batch of two hashes without text (unknown to the server), then the retry with text.
  assert.ok(Array.isArray(rec.sent[0].body), 'a batch was sent');
  assert.equal(rec.sent[0].body.length, 2);
  for (const op of rec.sent[0].body) {
    assert.equal(op.query, undefined);
    assert.match(op.extensions.persistedQuery.sha256Hash, /^[0-9a-f]{64}$/);
  }
  const withText = rec.sent.slice(1).flatMap((r) => (Array.isArray(r.body) ? r.body : [r.body]));
  assert.equal(withText.length, 2, 'each operation retried once with its text');
  for (const op of withText) assert.ok(op.query.includes('query '));

  // Known now: the hash alone is answered.
  rec.sent.length = 0;
  const again = await client.query({ query: VIEWER, fetchPolicy: 'network-only' });
  assert.equal(again.data.viewer.email, 'admin@medusa-test.com');
  const ops = rec.sent.flatMap((r) => (Array.isArray(r.body) ? r.body : [r.body]));
  assert.equal(ops.length, 1);
  assert.equal(ops[0].query, undefined);
});

test('hashed queries over GET (useGETForHashedQueries), mutations over POST', async () => {
  const rec = recordingFetch();
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      new HttpLink({ uri: endpoint, headers: auth, fetch: rec.fetch })
    ),
  });
  const res = await client.query({ query: REGIONS, fetchPolicy: 'network-only' });
  assert.ok(res.data.regions.totalCount >= 1);
  assert.equal(rec.sent.at(-1).method, 'GET');
  assert.match(rec.sent.at(-1).url, /extensions=/);

  const created = await client.mutate({
    mutation: gql`
      mutation CreateReason($input: CreateReturnReasonInput!) {
        createReturnReason(input: $input) {
          returnReason { id value label }
          userErrors { field message code }
        }
      }
    `,
    variables: { input: { value: `apollo-${Date.now()}`, label: 'Made by Apollo' } },
  });
  assert.deepEqual(created.data.createReturnReason.userErrors, []);
  assert.equal(created.data.createReturnReason.returnReason.label, 'Made by Apollo');
  assert.equal(rec.sent.at(-1).method, 'POST');
});
