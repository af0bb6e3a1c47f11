// urql 6 with its defaults: queries within the URL limit go over GET, mutations over POST.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, fetchExchange, gql } from '@urql/core';
import { endpoint, auth, recordingFetch } from '../lib.js';

test('urql queries over GET, mutations over POST', async () => {
  const rec = recordingFetch();
  const client = new Client({ url: endpoint, exchanges: [fetchExchange], fetch: rec.fetch, fetchOptions: { headers: auth } });

  const regions = await client.query(gql`
    query Regions($first: Int) {
      regions(first: $first) {
        totalCount
        edges { node { id name currencyCode countries { iso2 } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  `, { first: 1 }).toPromise();
  assert.equal(regions.error, undefined);
  assert.equal(regions.data.regions.edges.length, 1);
  assert.equal(regions.data.regions.totalCount, 2);
  assert.equal(regions.data.regions.pageInfo.hasNextPage, true);
  assert.equal(rec.sent.at(-1).method, 'GET');
  assert.match(rec.sent.at(-1).url, /[?&]query=/);

  // The next page through the cursor.
  const next = await client.query(gql`
    query More($after: String) { regions(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }
  `, { after: regions.data.regions.pageInfo.endCursor }).toPromise();
  assert.equal(next.error, undefined);
  assert.equal(next.data.regions.edges.length, 1);
  assert.notEqual(next.data.regions.edges[0].node.id, regions.data.regions.edges[0].node.id);
  assert.equal(next.data.regions.pageInfo.hasNextPage, false);

  const products = await client.query(gql`{ products(first: 5) { edges { node { id title } } } }`, {}).toPromise();
  assert.equal(products.error, undefined);
  const firstIds = products.data.products.edges.map((e) => e.node.id);
  assert.ok(firstIds.length >= 1);

  const tag = await client.mutation(gql`
    mutation Note($input: CreateNoteInput!) { createNote(input: $input) { note { id value } userErrors { message } } }
  `, { input: { resourceType: 'product', resourceId: firstIds[0], value: 'from urql' } }).toPromise();
  assert.equal(tag.error, undefined);
  assert.deepEqual(tag.data.createNote.userErrors, []);
  assert.equal(tag.data.createNote.note.value, 'from urql');
  assert.equal(rec.sent.at(-1).method, 'POST');
});

test('urql without credentials gets a GraphQL error it can read', async () => {
  const client = new Client({ url: endpoint, exchanges: [fetchExchange] });
  const res = await client.query(gql`{ viewer { id } }`, {}).toPromise();
  assert.ok(res.error);
  assert.equal(res.error.graphQLErrors[0]?.extensions?.code, 'UNAUTHENTICATED');
});
