// Subscriptions over WebSocket: the graphql-ws client (graphql-transport-ws) and Apollo Client's
// GraphQLWsLink, authenticated by an API token in connection_init, fed by a REST change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { base, token, auth } from '../lib.js';

const wsUrl = `${base.replace(/^http/, 'ws')}/graphql`;

function wsClient(connectionParams) {
  return createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

async function createProduct(title) {
  const res = await fetch(`${base}/admin/products`, {
    method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ title }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).product.id;
}

// Waits until the server holds the subscription (no ack exists per subscription): a change made
// before it is registered would not be sent.
const settle = () => new Promise((r) => setTimeout(r, 500));

test('graphql-ws: productChanges with a token in connection_init', async () => {
  const client = wsClient({ authorization: `Bearer ${token}` });
  try {
    const events = client.iterate({ query: 'subscription { productChanges { name productId occurredAt } }' });
    const first = events.next();
    await settle();
    const id = await createProduct('Live over graphql-ws');
    const { value } = await first;
    assert.deepEqual(value.data.productChanges.name, 'product.created');
    assert.equal(value.data.productChanges.productId, id);
    assert.match(value.data.productChanges.occurredAt, /^\d{4}-\d\d-\d\dT/);
    await events.return();
  } finally {
    await client.dispose();
  }
});

test('graphql-ws: refused without valid credentials (4403)', async () => {
  const client = wsClient({ token: 'not-a-token' });
  try {
    const err = await new Promise((resolve) => {
      client.subscribe({ query: 'subscription { productChanges { name } }' }, {
        next: () => resolve(new Error('unexpected event')), error: resolve, complete: () => resolve(new Error('completed')),
      });
    });
    assert.equal(err.code, 4403, `closed with ${err.code} ${err.reason}`);
  } finally {
    await client.dispose();
  }
});

test('Apollo Client GraphQLWsLink: productChanges', async () => {
  const ws = wsClient({ token });
  const client = new ApolloClient({ link: new GraphQLWsLink(ws), cache: new InMemoryCache() });
  try {
    const got = new Promise((resolve, reject) => {
      const sub = client.subscribe({ query: gql`subscription { productChanges { name productId } }` }).subscribe({
        next: (r) => { sub.unsubscribe(); resolve(r.data.productChanges); }, error: reject,
      });
    });
    await settle();
    const id = await createProduct('Live over Apollo');
    assert.deepEqual({ ...(await got) }, { __typename: 'ProductChange', name: 'product.created', productId: id });
  } finally {
    client.stop();
    await ws.dispose();
  }
});
