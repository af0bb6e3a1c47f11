// graphql-codegen (client preset: TypeScript types and typed document nodes) on the live schema,
// type-checked with tsc; its persisted documents registered with `gorgon graphql register` and
// then sent by hash alone.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { endpoint, auth } from '../lib.js';

const here = dirname(fileURLToPath(import.meta.url));

test('graphql-codegen client preset on the live schema, type-checked; persisted documents by hash', async () => {
  // Inside this folder, so the generated code resolves graphql and its types from node_modules.
  const out = mkdtempSync(join(here, '../.codegen-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  await generate({
    schema: [{ [endpoint]: { headers: auth } }],
    documents: [join(here, 'documents/*.graphql')],
    generates: {
      [join(out, 'gql') + '/']: {
        preset: 'client',
        presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' } },
        config: { enumsAsTypes: true, useTypeImports: true },
      },
    },
    silent: true,
  }, true);
  const graphqlTs = readFileSync(join(out, 'gql/graphql.ts'), 'utf8');
  assert.match(graphqlTs, /export type ShopOverviewQuery = /);
  assert.match(graphqlTs, /export type CreateCollectionMutation = /);
  assert.match(graphqlTs, /export type ProductStatus =/);

  // The generated code and a use of it compile cleanly.
  writeFileSync(join(out, 'use.ts'), `
import { ShopOverviewDocument, type ShopOverviewQuery } from './gql/graphql';
export const doc = ShopOverviewDocument;
export function names(q: ShopOverviewQuery): string[] { return q.regions.edges.map((e) => e.node.name); }
`);
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true,
      types: [] },
    include: ['use.ts', 'gql/*.ts'],
  }));
  execFileSync(join(here, '../node_modules/.bin/tsc'), ['-p', out], { stdio: 'inherit' });

  // Register the build's persisted documents, then send only a hash.
  const manifest = join(out, 'gql/persisted-documents.json');
  const docs = JSON.parse(readFileSync(manifest, 'utf8'));
  assert.equal(Object.keys(docs).length, 2);
  if (process.env.GORGON_BIN) {
    execFileSync(process.env.GORGON_BIN, ['graphql', 'register', manifest], { stdio: 'inherit' });
    const [hash, body] = Object.entries(docs).find(([, b]) => b.startsWith('query ShopOverview'));
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ operationName: 'ShopOverview', variables: { first: 1 }, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    const json = await res.json();
    assert.equal(json.errors, undefined, JSON.stringify(json.errors));
    assert.equal(json.data.viewer.email, 'admin@medusa-test.com');
    assert.equal(json.data.regions.edges.length, 1);
    assert.ok(body.includes('ShopOverview'));
  }
});
