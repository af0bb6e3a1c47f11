// graphql-request 7: single requests, batches, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLClient, gql } from 'graphql-request';
import { endpoint, auth } from '../lib.js';

test('graphql-request: request, batch, errors', async () => {
  const client = new GraphQLClient(endpoint, { headers: auth });
  const me = await client.request(gql`{ viewer { email role } }`);
  assert.equal(me.viewer.email, 'admin@medusa-test.com');
  assert.match(me.viewer.role, /^(ADMIN|MEMBER|DEVELOPER)$/);

  const batch = await client.batchRequests([
    { document: gql`{ viewer { email } }` },
    { document: gql`query R($first: Int) { regions(first: $first) { edges { node { name } } } }`, variables: { first: 1 } },
  ]);
  assert.equal(batch.length, 2);
  assert.equal(batch[0].data.viewer.email, 'admin@medusa-test.com');
  assert.equal(batch[1].data.regions.edges.length, 1);

  await assert.rejects(client.request(gql`{ nope }`), (err) => {
    assert.match(err.response.errors[0].message, /Cannot query field "nope"/);
    return true;
  });
});
