// Generates testdata/corpus.json: what node's `new Date(string)` makes of several thousand strings,
// in several local time zones (epoch milliseconds, or null for an Invalid Date), and what
// `new Date(Number(string) * 1000)` makes of them (Medusa's fallback for query dates).
//
//   node rest/jsdate/testdata/gen.js > rest/jsdate/testdata/corpus.json
//
// Each zone runs in its own child process with TZ set, so V8 reads the zone at start-up as a
// server does. The inputs are hand-picked forms, systematic combinations of date, time and zone
// parts, and seeded random strings built from date-like fragments (valid and malformed).
//
// `node gen.js --eval` reads a JSON array of strings on stdin and prints `new Date(s)` of each, in
// the TZ of the environment; TestAgainstNode (JSDATE_NODE=1) uses it to compare live.
'use strict';

const { execFileSync } = require('child_process');

const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Apia', 'Europe/Dublin'];

if (process.argv[2] === '--eval') {
  const inputs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const out = inputs.map((s) => {
    const t = new Date(s).getTime();
    return Number.isNaN(t) ? null : t;
  });
  process.stdout.write(JSON.stringify(out));
} else {
  generate();
}

function generate() {

const inputs = [];
const seen = new Set();
function add(s) {
  if (!seen.has(s)) {
    seen.add(s);
    inputs.push(s);
  }
}

// ---- hand-picked ----
[
  // Medusa's own tests and what clients send
  '10-10-2005', '10/10/2005', '2005-10-10', '2005/10/10', 'Oct 10 2005', '10 Oct 2005',
  '10 Oct 2005 10:00 GMT+0200', 'Mon Oct 10 2005 00:00:00 GMT+0000 (Coordinated Universal Time)',
  'Mon Oct 10 2005 02:00:00 GMT+0200 (Central European Summer Time)',
  'Mon Oct 10 2005 05:30:00 GMT+0530 (India Standard Time)',
  'Sun Oct 09 2005 20:00:00 GMT-0400 (Eastern Daylight Time)',
  'Tue, 10 Oct 2005 10:00:00 GMT', 'Mon, 10 Oct 2005 10:00:00 GMT', '2005-10-10 10:00',
  '2005-10-10T10:00:00.000Z', '2005-10-10T10:00:00Z', '2005-10-10T10:00:00', '2005-10-10T10:00',
  '2005-10-10T10:00:00.123456Z', '2005-10-10T10:00:00.1Z', '2005-10-10T10:00:00.12Z',
  '2005-10-10T10:00:00.123456789123Z', '2005-10-10T10:00:00.+02:00', '2005-10-10T10:00:00.Z',
  '+002005-10-10', '+002005-10-10T10:00:00Z', '-002005-10-10', '-000000-01-01', '+000000-01-01',
  '+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00.000Z',
  '-271821-04-19T23:59:59.999Z', '+275760-09-13', '+275760-09-14', '-271821-04-20', '-271821-04-19',
  '+275760-09-13T00:00', '+275760-09-12T20:00', '-271821-04-20T00:00', '-271821-04-20T12:00',
  'Sep 13 275760', 'Sep 12 275760 20:00', 'Apr 20 -271821', '275760-09-13',
  // numbers only: a query value is always a string
  '0', '1', '12', '13', '31', '32', '49', '50', '99', '100', '999', '1000', '2005', '9999', '10000',
  '12345', '123456', '1234567', '12345678', '123456789', '1234567890', '170000000', '1700000000',
  '1700000000000', '-1', '+1', '-12', '1.5', '1e3', '0x10', ' 2005 ', '2005 ', ' 2005', '00', '000',
  '0000', '00000', '000000', '+000000', '-000001', '+999999', '-999999', '+1000000', '01', '001',
  '2005.5', '12.30', '1.2.3', '10.10.2005', '2005.10.10',
  // time zones
  '2005-10-10T10:00:00+02:00', '2005-10-10T10:00:00-05:30', '2005-10-10T10:00:00+0200',
  '2005-10-10T10:00:00+2', '2005-10-10T10:00:00+02', '2005-10-10T10:00:00+24:00',
  '2005-10-10T10:00:00+23:59', '2005-10-10T10:00:00+02:60', '2005-10-10T10:00:00 +02:00',
  '2005-10-10T10:00:00z', '2005-10-10t10:00:00z', '2005-10-10T10:00:00UTC',
  '2005-10-10T10:00:00 GMT', 'Oct 10 2005 10:00 GMT', 'Oct 10 2005 10:00 UTC', 'Oct 10 2005 10:00 UT',
  'Oct 10 2005 10:00 Z', 'Oct 10 2005 10:00Z', 'Oct 10 2005 10:00 EST', 'Oct 10 2005 10:00 EDT',
  'Oct 10 2005 10:00 CST', 'Oct 10 2005 10:00 CDT', 'Oct 10 2005 10:00 MST', 'Oct 10 2005 10:00 MDT',
  'Oct 10 2005 10:00 PST', 'Oct 10 2005 10:00 PDT', 'Oct 10 2005 10:00 CET', 'Oct 10 2005 10:00 BST',
  'Oct 10 2005 10:00 IST', 'Oct 10 2005 10:00 utc', 'Oct 10 2005 10:00 Gmt', 'Oct 10 2005 10:00 UTCX',
  'Oct 10 2005 10:00 GMT+2', 'Oct 10 2005 10:00 GMT+02', 'Oct 10 2005 10:00 GMT+200',
  'Oct 10 2005 10:00 GMT+0200', 'Oct 10 2005 10:00 GMT+02:00', 'Oct 10 2005 10:00 GMT+02:30',
  'Oct 10 2005 10:00 GMT+2:30', 'Oct 10 2005 10:00 GMT+02000', 'Oct 10 2005 10:00 GMT+',
  'Oct 10 2005 10:00 GMT-', 'Oct 10 2005 10:00 GMT+:30', 'Oct 10 2005 10:00 +0200',
  'Oct 10 2005 10:00 -0530', 'Oct 10 2005 10:00 +02:00', 'Oct 10 2005 +0200',
  'Oct 10 2005 GMT+0200', 'Oct 10 2005 GMT', 'GMT Oct 10 2005', 'Oct 10 2005 10:00 GMT+0200 GMT-0100',
  'Oct 10 2005 10:00 GMT+99', 'Oct 10 2005 10:00 GMT+9999', 'Oct 10 2005 10:00 GMT+24',
  'Jan 1 2000 GMT+298261:', 'Jan 1 2000 GMT+298262:', 'Jan 1 2000 GMT+596523:',
  'Jan 1 2000 GMT+596524:', 'Jan 1 2000 GMT+999999999:', 'Jan 1 2000 GMT+1193046:',
  'Jan 1 2000 GMT+1193046:59', 'Jan 1 2000 GMT+1193047:', 'Jan 1 2000 GMT+1234567890:',
  'Jan 1 2000 10:00 +05:30', 'Jan 1 2000 10:00 +5:', 'Jan 1 2000 10:00 +05:', 'Jan 1 2000 10:00 -5',
  // AM/PM
  'Oct 10 2005 12:00 AM', 'Oct 10 2005 12:00 PM', 'Oct 10 2005 12:30 am', 'Oct 10 2005 1:30 pm',
  'Oct 10 2005 13:00 PM', 'Oct 10 2005 0:00 PM', 'Oct 10 2005 11:59:59 PM', 'Oct 10 2005 10 PM',
  'Oct 10 2005 PM 10:00', 'Oct 10 2005 10:00 A.M.', 'Oct 10 2005 10:00AM', 'Oct 10 2005 10:00pm',
  'Oct 10 2005 10:00 a', 'Oct 10 2005 10:00 amx', 'AM Oct 10 2005', '10:00 PM Oct 10 2005',
  // times
  '2005-10-10T24:00', '2005-10-10T24:00:00', '2005-10-10T24:00:00.000', '2005-10-10T24:00:01',
  '2005-10-10T24:01', '2005-10-10T24:00:00.001', '2005-10-10T25:00', '2005-10-10T23:60',
  '2005-10-10T23:59:60', '2005-10-10T1:00', '2005-10-10T10', '2005-10-10T10:0', '2005-10-10T10:00:0',
  '2005-10-10T', '2005-10-10T10:00:00.', '2005-10-10 24:00', '2005-10-10 24:00:01', 'Oct 10 2005 24:00',
  'Oct 10 2005 10::', 'Oct 10 2005 10::30', 'Oct 10 2005 10:', 'Oct 10 2005 10:30:', 'Oct 10 2005 10:30:15.',
  'Oct 10 2005 10:30:15.5', 'Oct 10 2005 10:30:15.55555', 'Oct 10 2005 10:30.15', 'Oct 10 2005 10.30',
  'Oct 10 2005 10:30:15:20', 'Oct 10 2005 10:30:15:20:25', 'Oct 10 2005 10:30x', 'Oct 10 2005 10:30-',
  'Oct 10 2005 10:30+', 'Oct 10 2005 10:30,', 'Oct 10 2005 10:30(x)', 'Oct 10 2005 10:30 (x)',
  'Oct 10 2005 10:30:', '10:30 Oct 10 2005', '10:30', '10:30 2005', 'Oct 10 2005 99:00',
  'Oct 10 2005 10:99', 'Oct 10 2005 10:30:99', '10:00:00 10/10/2005',
  // legacy date orders
  '10/10/05', '10/10/50', '10/10/49', '10/10/99', '10/10/100', '10/10/1', '10/10/0', '1/2/3',
  '13/10/2005', '10/32/2005', '2005/13/10', '2005/10/32', '32/10/2005', '2005/10', '10/2005', '10/10',
  '2005-10', '2005-1-1', '2005-01-1', '2005-1-01', '05-10-10', '5-10-2005', '10-10-05', '2005 10 10',
  '10 10 2005', '2005 Oct 10', '2005 10 Oct', 'Oct 2005 10', '10 2005 Oct', '2005-Oct-10',
  '10-Oct-2005', 'Oct-10-2005', 'Oct-10', '10-Oct', 'Oct 10', '10 Oct', 'Oct 2005', '2005 Oct',
  'Oct', 'October', 'octobER 10, 2005', 'OCTOBER 10 2005', 'Octob 10 2005', 'Octoberfest 10 2005',
  'Oc 10 2005', 'Sept 10 2005', 'Junk 10 2005', 'Mayday 10 2005', 'Marble 10 2005', 'Dec. 10, 2005',
  'Oct 10 2005 Oct', 'Oct Nov 10 2005', '10 Oct 10 2005', '1 2 3 4', '2005 10 10 10',
  'Feb 29 2004', 'Feb 29 2005', 'Feb 30 2005', 'Feb 31 2005', 'Apr 31 2005', '2005-02-29',
  '2005-02-31', '2004-02-29', '2005-02-30T00:00', '02/31/2005', '2005-00-10', '2005-10-00',
  'Oct 0 2005', 'Oct 32 2005', '0/10/2005', '10/0/2005', '31 12 2005', '12 31 2005',
  // week days and garbage words
  'Mon Oct 10 2005', 'Monday, October 10, 2005', 'Mon, Oct 10 2005', 'Foo Oct 10 2005',
  'Foo, 10 Oct 2005', 'Foo10 Oct 2005', 'Oct 10 2005 Foo', 'Oct 10 Foo 2005', 'Date: Oct 10 2005',
  'x', '', ' ', 'null', 'undefined', 'NaN', 'Invalid Date', 'true', 'today', 'now', 'T', 'Z', 'GMT',
  'T10:00', '2005-10-10TZ', '2005-10-10T10:00Z junk', '2005-10-10 junk', 'junk 2005-10-10',
  // parentheses and separators
  '(comment) Oct 10 2005', 'Oct 10 2005 (comment', 'Oct 10 2005 (a (b) c)', 'Oct (x) 10 2005',
  'Oct 10 2005 )', ') Oct 10 2005', 'Oct 10 2005 ((', '(Oct 10 2005)', 'Oct 10 2005 (x)) 10:00',
  'Oct, 10, 2005', 'Oct;10;2005', 'Oct_10_2005', '2005_10_10', '2005\t10\t10', '2005\n10\n10',
  'Oct\u00a010 2005', '\u00a0Oct 10 2005', 'Oct 10 2005\u00a0', '2005-10-10\u00a0', 'Oct 10 2005 10:00\u00a0',
  'Oct 10 2005\u0000garbage', '2005-10-10\u0000T10:00', 'Okt 10 2005', 'Ωct 10 2005',
  '2005-10-10T10:00:00.000Z\u2028', 'Oct 10\u20282005', 'Oct 10 2005\u2028', 'Oct 10 2005\u2029',
  'Oct 10 2005\u3000', '\ufeffOct 10 2005', 'Oct\u200a10\u200a2005', 'Oct 10 2005\u180e',
  'Oct 10 2005\u0085', 'Oct 10 2005\r\n', 'Oct\u000b10\u000c2005', 'Oct 10 2005\u001c',
  'Oct 10 2005 10:00\u3000', '2005-10-10\ufeff', '2005-10-10T10:00\u00a0',
  'Oct 10 0000000002005', 'Oct 10 2005 10:00:00.0000000001', '2005-10-10T10:00:00.0000000001Z',
  '2005-10-10T10:00:00.0001234567Z', '2005-10-10T10:00:00.0001234567890Z', '2005-10-10T10:00:00.000000000Z',
  '2005-10-10T10:00:00.999999999999Z', '0002005-10-10', '00002005', 'Oct 10 00000000000000002005',
  '010/010/02005', 'Oct 10 2005 010:000:0000', 'Oct 10 2005 GMT+000000002', 'Oct 10 2005 GMT+0000000002:',
  'Oct 10 2005 10:00 GMT+00200', '2005-10-10T10:00:00+0002:00', '2005-10-10T010:00:00Z', 'Oct 10 2005 😀', '😀 Oct 10 2005', 'a😀 10 2005', 'am😀 10 2005',
  // ISO variants
  '2005-10-10T10:00:00.000+00:00', '2005-10-10T10:00:00.000-00:00', '20051010', '20051010T100000Z',
  '2005-W41-1', '2005-283', '2005-10-10 10:00:00Z', '2005-10-10 10:00:00 Z', '2005-10-10 10:00:00+02:00',
  '2005-10-10 10:00:00 +02:00', '2005-10-10 10:00:00 GMT+02:00', '2005-10-10T10:00:00 Z',
  '2005-10-10T10:00:00Z ', ' 2005-10-10T10:00:00Z', '2005-10-10T10:00:00.5+01:00',
  '02005-10-10', '2005-010-10', '2005-10-010', '+2005-10-10', '+02005-10-10', '+0002005-10-10',
  '-2005-10-10', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '1970-01-01', '0000-01-01',
  '0001-01-01', '0099-12-31', '0100-01-01', '1900-02-29', '2000-02-29', '2100-02-29', '1600-02-29',
  // DST and history in the non-UTC zones
  '2019-03-10T02:30', '2019-03-10T02:00', '2019-03-10T03:00', '2019-03-10T01:59:59.999',
  '2019-11-03T01:30', '2019-11-03T00:59:59', '2019-11-03T01:00', '2019-11-03T02:00',
  'Mar 10 2019 2:30', 'Nov 3 2019 1:30', 'Nov 3 2019 1:30 EST', 'Nov 3 2019 1:30 EDT',
  '2019-04-07T01:45', '2019-04-07T01:30', '2019-04-07T02:00', '2019-10-06T02:15', '2019-10-06T01:59',
  '1800-01-01T00:00', '1883-11-18T12:03:57', '1883-11-18T12:03:58', '1883-11-18T11:59:59',
  '1900-01-01T00:00', '1941-10-01T00:00', '1942-09-01T00:00', '1945-10-15T00:00', '1950-01-01T00:00',
  '1970-01-01T00:00', '2038-01-19T03:14:08', '2100-07-01T12:00', '3000-07-01T12:00',
  '2011-12-29T12:00', '2011-12-29T23:59:59.999', '2011-12-30T00:00', '2011-12-30T12:00', '2011-12-31T00:00',
  'Dec 30 2011', 'Dec 30 2011 10:00', '2021-04-04T03:30', '2021-09-26T03:30', '1971-10-31T02:30',
  '1971-10-31T03:30', '2019-03-31T01:30', '2019-10-27T01:30', '1916-04-23T02:30', '1916-10-01T02:30',
  '9999-12-31T23:59:59.999', '12/31/9999 23:59:59', '1/1/10000', 'Jan 1 100000',
].forEach(add);

// ---- what Number() makes of a string (Medusa's fallback to epoch seconds) ----
[
  '', ' ', '\t\n', '0x1F', '0X1f', '0o17', '0O17', '0b101', '0B101', '-0x10', '+0x10', '0x', '0b2', '0o8',
  '0xg', '0x1p3', '1e3', '1E3', '1e+3', '1e-3', '.5', '5.', '.', '+', '-', '+.5', '-.5e1', 'Infinity',
  '-Infinity', '+Infinity', 'infinity', 'inf', 'INFINITY', '1_000', '1,000', '١٢', ' \n12\t', '\u00a012\u00a0',
  '\u2028 12 \u2029', '\ufeff1700000000', '12abc', '00012', '-00012', '1.7e12', '8.64e12', '8.64e12.0',
  '8640000000000', '8640000000001', '-8640000000000', '-8640000000001', '8640000000000.0005',
  '8640000000000.001', '1e400', '-1e400', '1e-400', '4.9e-324', '0.0005', '-0.0005', '0.0015',
  '1700000000.0015', '1700000000.1234567', '9007199254740993', '0x20000000000001', '0xffffffffffffffffff',
  '1d', '1f', '12e', 'e12', '--1', '+-1', '1 2', '-0', '+0', '0.', '-0.0', '1700000000', '-1700000000',
  '17e8', '1.7E+9', '0x6553f100', '0b1100101010100111111000100000000', '0o14524770400',
].forEach(add);

// ---- systematic: date part × time part × zone part ----
const dates = [
  '2005-10-10', '2005/10/10', '10/10/2005', '10-10-2005', 'Oct 10 2005', '10 Oct 2005',
  'Mon Oct 10 2005', 'Mon, 10 Oct 2005', 'October 10, 2005', '2005-10', '+002005-10-10', '10/10/05',
];
const times = [
  '', 'T10:00', 'T10:00:00', 'T10:00:00.5', 'T10:00:00.123456', ' 10:00', ' 10:00:00', ' 10:00:00.123',
  ' 10:00 AM', ' 10:00 pm', ' 12:00 AM', ' 24:00', ' 23:59:59.999', ' 7:05',
];
const zones = [
  '', 'Z', ' Z', '+02:00', '-0530', ' GMT', ' GMT+0200', ' UTC-5', ' EST', ' PDT', ' (Comment)',
  ' GMT+0000 (Coordinated Universal Time)',
];
for (const d of dates) for (const t of times) for (const z of zones) add(d + t + z);

// Every month name, abbreviated and full, in three cases.
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
for (const m of months) {
  for (const name of [m, m.slice(0, 3), m.toUpperCase(), m.toLowerCase().slice(0, 3)]) {
    add(`${name} 15 2021`);
    add(`15 ${name} 2021 08:00 GMT`);
  }
}
// Two-digit and short years in every legacy order.
for (const y of ['0', '9', '49', '50', '69', '70', '99', '100', '999', '1000']) {
  add(`1/15/${y}`);
  add(`Jan 15 ${y}`);
  add(`15 Jan ${y}`);
  add(`${y} Jan 15`);
  add(`${y}-01-15`);
}

// ---- seeded random strings of date-like fragments ----
let seed = 20051010;
function rand() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick(a) {
  return a[Math.floor(rand() * a.length)];
}
const frags = [
  '2005', '10', '1', '31', '12', '24', '00', '0', '59', '60', '99', '123', '1234', '002005', '275760',
  '-', '+', ':', '::', '.', '/', ',', ' ', ' ', ' ', 'T', 't', 'Z', 'z', '(', ')', '(x)',
  'Oct', 'october', 'FEB', 'Mon', 'GMT', 'UTC', 'UT', 'EST', 'pdt', 'AM', 'pm', 'foo', 'Sept',
  '\t', '_', '@', '#',
];
for (let i = 0; i < 1500; i++) {
  const n = 1 + Math.floor(rand() * 9);
  let s = '';
  for (let j = 0; j < n; j++) s += pick(frags);
  add(s);
}
// Random ISO-shaped strings with one part perturbed.
for (let i = 0; i < 400; i++) {
  const p2 = () => String(Math.floor(rand() * 100)).padStart(rand() < 0.9 ? 2 : 1, '0');
  let s = `${pick(['2005', '1999', '+002020', '-000100', '0001', '2020'])}-${p2()}-${p2()}`;
  if (rand() < 0.8) s += `${pick(['T', ' ', 't'])}${p2()}:${p2()}`;
  if (rand() < 0.6) s += `:${p2()}`;
  if (rand() < 0.4) s += `.${String(Math.floor(rand() * 1e6)).slice(0, 1 + Math.floor(rand() * 6))}`;
  if (rand() < 0.6) s += pick(['Z', '+02:00', '-0930', '+2', ' GMT', '+14:00', '-12:00', ' +05:30']);
  add(s);
}

const results = {};
for (const zone of ZONES) {
  const out = execFileSync(process.execPath, [__filename, '--eval'], {
    input: JSON.stringify(inputs),
    env: { ...process.env, TZ: zone },
    maxBuffer: 64 << 20,
  });
  results[zone] = JSON.parse(out);
}

// One line per input: [input, new Date(input) in ZONES[0], in ZONES[1], …, new Date(Number(input) * 1000)].
// The last column is the seconds fallback of Medusa's query date filters (zone-independent).
const seconds = (s) => {
  const t = new Date(Number(s) * 1000).getTime();
  return Number.isNaN(t) ? null : t;
};
const cases = inputs.map((s, i) => [s, ...ZONES.map((zone) => results[zone][i]), seconds(s)]);
process.stdout.write(
  '{\n"node": ' + JSON.stringify(process.version) + ',\n"zones": ' + JSON.stringify(ZONES) +
    ',\n"cases": [\n' + cases.map((c) => JSON.stringify(c)).join(',\n') + '\n]}\n',
);
}
