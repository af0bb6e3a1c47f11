#!/usr/bin/env node
// Regenerates corpus.json: every case below parsed by the real qs as Express 4.18.1 parses a
// query string (qs.parse(str, {allowPrototypes: true}), express/lib/utils.js). Express pins
// qs 6.10.3 in its own node_modules, and that is the copy the running Medusa 1.3.8 uses (the
// top-level node_modules/qs of the install is a newer qs that Express never loads).
//
//   node gen.js [MEDUSA_INSTALL_DIR]   (default /work/ref/medusa-1.3.8)
//
// Run from this directory; it rewrites corpus.json, which `go test` reads without node.
"use strict"
const fs = require("fs")
const path = require("path")

const dir = process.argv[2] || "/work/ref/medusa-1.3.8"
const express = path.dirname(require.resolve("express/package.json", { paths: [dir] }))
const qsDir = path.dirname(require.resolve("qs/package.json", { paths: [express] }))
const qs = require(qsDir)
const version = require(path.join(qsDir, "package.json")).version
const parse = (s) => qs.parse(s, { allowPrototypes: true })

const many = (n, f) => Array.from({ length: n }, (_, i) => f(i)).join("&")

const cases = [
  // plain pairs
  "", "a=b", "a=b&c=d", "a", "a=", "=b", "=", "&&a=1&&", "a=1&&&b=2", "a==1", "a=1;b=2",
  "a=%26&b=%3D", "q=a=b", "a=1&b=2&a=3",
  // duplicates combine
  "a=1&a=2", "a=1&a=2&a=3", "a[b]=1&a[b]=2", "a[0]=1&a[0]=2",
  // brackets: arrays
  "a[]=x", "a[]=x&a[]=y", "a[]=x,y", "a[]=&a[]=", "a[]&b", "a[0]=x&a[1]=y", "a[1]=y&a[0]=x",
  "a[2]=z&a[0]=x&a[1]=y", "a[1]=y", "a[5]=x&a[3]=y", "a[]=1&a[1]=2", "a[1]=2&a[]=1",
  "a[0]=x&a[0]=y&a[1]=z", "id[0]=&id[1]=b", "id[0]=&id[1]=", "groups=", "groups[]=", "groups[0]=",
  "tags[0]=t1&tags[1]=t2&collection_id[0]=c1", "expand=variants,options&fields=id,title",
  "fields[]=id&fields[]=title",
  // array limit: an index up to 20 makes an array, above 20 an object
  "a[20]=x", "a[21]=x", "a[0]=x&a[21]=y", "a[21]=y&a[0]=x", "a[100]=x&a[2]=y", "a[21]=x&a=y",
  "a=y&a[21]=x", many(22, (i) => "a=" + i), many(25, (i) => "a[]=" + i),
  many(22, (i) => "a[" + (21 - i) + "]=" + i),
  // not indexes
  "a[05]=x", "a[-1]=x", "a[ 1]=x", "a[1.0]=x", "a[1e1]=x", "a[0x1]=x",
  // nesting and depth
  "a[b][c]=1", "a[b][c][d][e][f]=1", "a[b][c][d][e][f][g]=1", "a[b][c][d][e][f][g][h]=1",
  "a[0][b]=1&a[0][c]=2", "a[0][b]=1&a[1][b]=2", "a[1][b]=1&a[0][b]=2", "a[0]=1&a[0][b]=2",
  "a[b][]=1&a[b][]=2", "a[][b]=1&a[][b]=2", "a[]=x&a[][]=y", "a[0][0]=x&a[0][1]=y",
  "a[0][]=x&a[0][]=y", "a[b[c]]=1", "a[b]x[c]=1", "a[[b]]=1", "a[ b ]=1", "[a]=1", "[]=1",
  "[]=1&[]=2", "[0]=x", "a]=1", "a[=1", "a[=]=1", "a[b]=c=d", "a[]==1",
  // mixing plain values, arrays and objects
  "a[]=1&a=2", "a=1&a[]=2", "a[0]=x&a[foo]=y", "a[foo]=y&a[0]=x", "a[b]=1&a=2", "a=2&a[b]=1",
  "a[b]=1&a=c&a=d", "a[]=1&a=", "a=&a[]=1", "a=&a[b]=1", "a[b]=1&a[]=2", "a[]=2&a[b]=1",
  "a[b][c]=1&a[b]=2", "a[b]=2&a[b][c]=1", "a[0]=1&a=2", "a[5]=1&a=2", "a=2&a[5]=1",
  "a[10]=x&a[b]=y&a[2]=z", "a[x]=1&a[9]=2&a[3]=3", "a[2]=x&a[b]=y&a[1]=z", "a[b]=&a[c]=1",
  "a[b]&a[c]=1", "created_at[gt]=2020-01-01&created_at[lt]=2021-01-01",
  "created_at=2020&created_at[gt]=x", "created_at[gt]=x&created_at=2020",
  "created_at[gt]=a&created_at[gt]=b", "rule[type]=percentage&rule[allocation]=total",
  // key order: integer-like keys first, ascending
  "b=1&a=2&10=x&2=y", "z=1&3=a&1=b", "4294967294=a&4294967295=b&x=1&0=c", "a[c]=1&a[b]=2&a[a]=3",
  "a[z]=1&a[10]=2&a[y]=3&a[1]=4",
  // decoding: '+', escapes, malformed escapes kept literally
  "q=25%", "q=25%&limit=10", "q=%", "q=%2", "q=%zz", "q=100%25", "q=%41%", "q=a%20b+c", "q=a+b",
  "q=%2B", "a+b=c", "q=%00", "%00=x", "q=%FF", "q=%C3%A9", "q=%C3", "q=%E2%82", "q=%ED%A0%80",
  "q=%C0%80", "q=%F4%90%80%80", "q=%F0%9F%98%80", "q=%e2%82%ac", "q=%C3%A9%", "q=caf%C3%A9+au+lait",
  "a=%E4%B8%AD%E6%96%87", "x=a%2Cb", "%=1", "%%=1", "%61=1", "a=1&%61=2", "a%5B%5D=1", "a%5Bb%5D=1",
  "a%5b0%5d=x&a%5b1%5d=y", "a[b%5D=1", "a[]=1&a%5B%5D=2", "%5B%5D=1", "a[%]=1", "a[b]=%",
  "a[%C3%A9]=1", "a%20b=1",
  // dots are not special
  "a.b=1", "a.b.c=1&a.d=2", "a[b.c]=1",
  // prototype names (allowPrototypes)
  "__proto__=1", "__proto__[a]=1", "a[__proto__]=1", "a[__proto__][b]=1&a[c]=2", "constructor=1",
  "hasOwnProperty=x&toString=y", "a[constructor]=1", "a[b]=1&a=__proto__", "a[b]=1&a=toString",
  // parameter limit: parts after the first 1000 are ignored
  many(1001, (i) => "p" + i + "=" + i), many(999, () => "") + "&a=1&b=2",
]

const out = cases.map((query) => ({ query, want: parse(query) }))
const file = path.join(__dirname, "corpus.json")
// One case a line, so that a regenerated corpus diffs case by case.
const lines = out.map((c) => " " + JSON.stringify(c))
fs.writeFileSync(
  file,
  `{"generator": "gen.js", "qs": ${JSON.stringify(version)}, "cases": [\n${lines.join(",\n")}\n]}\n`,
)
console.log(`${out.length} cases from qs ${version} -> ${file}`)
