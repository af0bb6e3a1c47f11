// Package jsdate converts strings to instants exactly as JavaScript's `new Date(string)` does in
// node (V8): the ECMAScript date-time string format first, then V8's lenient legacy parser.
//
// Medusa turns body dates into Dates with class-transformer (`new Date(value)`: Parse, or
// FromNumber for a JSON number) and query date filters with its own transform (ParseOrSeconds),
// and refuses only what comes out invalid. A drop-in replacement has to accept the same strings
// (`10-10-2005`, `Oct 10 2005`, `Date.prototype.toString()` output, …) and read them as the same
// instants, including V8's quirks (a bare `12` is 1 Dec 2001, `1700000000000` is no date).
//
// The rules below were learnt from V8's src/date/dateparser* and checked against node on a
// corpus (testdata/gen.js); the code is written afresh for Go.
package jsdate

import (
	"math"
	"time"
	"unicode"
	"unicode/utf8"
)

// Parse reads s as `new Date(s)` does in a process whose local time zone is loc (date-time forms
// without an offset are local time; date-only ISO forms are UTC). ok is false where JavaScript
// yields an Invalid Date. The result is in UTC.
func Parse(s string, loc *time.Location) (t time.Time, ok bool) {
	ms, ok := ParseMillis(s, loc)
	if !ok {
		return time.Time{}, false
	}
	return time.UnixMilli(ms).UTC(), true
}

// ParseMillis is Parse as epoch milliseconds, the JavaScript time value.
func ParseMillis(s string, loc *time.Location) (int64, bool) {
	f, ok := parseFields(s)
	if !ok {
		return 0, false
	}
	return f.timeValue(loc)
}

// none marks a missing component (V8 uses INT_MAX too; it must never be a valid value).
const none = math.MaxInt32

// maxSmi is the largest small integer of 64-bit V8 builds without pointer compression (node):
// the legacy parser refuses UTC offsets whose seconds exceed it, after 32-bit unsigned arithmetic.
const maxSmi = math.MaxInt32

// fields is what the parser extracts: a proleptic Gregorian date and time, and the UTC offset in
// seconds when the string named one.
type fields struct {
	year, month, day                  int // month 1-12; day is 1-31 and may roll over (31 Feb)
	hour, minute, second, millisecond int // hour may be 24 (at 0:00:00.000)
	offset                            int
	hasOffset                         bool
}

const (
	msPerDay = 86_400_000
	// maxTime is the largest magnitude of a JavaScript time value (TimeClip).
	maxTime = 8.64e15
)

// timeValue is MakeDate(MakeDay, MakeTime), moved to UTC, then TimeClip.
func (f fields) timeValue(loc *time.Location) (int64, bool) {
	// MakeDay refuses years beyond a million either way; bounding here keeps int64 safe.
	if f.year < -1_000_000 || f.year > 1_000_000 {
		return 0, false
	}
	date := daysFromCivil(int64(f.year), f.month) + int64(f.day-1)
	ms := date*msPerDay + int64(f.hour)*3_600_000 + int64(f.minute)*60_000 +
		int64(f.second)*1000 + int64(f.millisecond)
	if f.hasOffset {
		ms -= int64(f.offset) * 1000
	} else {
		// V8 only converts local times within ten days of the valid range.
		if ms < -maxTime-864_000_000 || ms > maxTime+864_000_000 {
			return 0, false
		}
		ms = localToUTC(ms, loc)
	}
	if ms < -maxTime || ms > maxTime {
		return 0, false
	}
	return ms, true
}

// daysFromCivil is the number of days from 1970-01-01 to the first of the month.
func daysFromCivil(y int64, m int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12) // March = 0
	doy := (153*mp + 2) / 5   // first day of the month, counted from 1 March
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// localToUTC interprets ms (a wall clock in loc, counted as if it were UTC) as ECMAScript's UTC(t)
// does with ICU, as node does: a wall time that occurs twice is the earlier instant, a wall time
// skipped by a transition is read with the offset in force before the transition.
func localToUTC(ms int64, loc *time.Location) int64 {
	if loc == nil {
		loc = time.UTC
	}
	offsetAt := func(instant int64) int64 {
		_, off := time.Unix(floorDiv(instant, 1000), 0).In(loc).Zone()
		return int64(off) * 1000
	}
	const day = msPerDay
	var best, maxOff int64
	found, seen := false, false
	// The instant lies within a day of ms; offsets in force around it are seen from these probes.
	for _, probe := range [...]int64{ms - day, ms, ms + day} {
		off := offsetAt(probe)
		if !seen || off > maxOff {
			maxOff, seen = off, true
		}
		if offsetAt(ms-off) == off && (!found || off > best) {
			best, found = off, true
		}
	}
	if found {
		return ms - best
	}
	// In a gap: ms-maxOff falls before the transition, where the former offset applies.
	return ms - offsetAt(ms-maxOff)
}

// ---- tokens ----

type tokKind int8

const (
	tokInvalid tokKind = iota // the ISO parser gave up for good
	tokUnknown                // any other character, or a parenthesised comment
	tokSpace
	tokNumber
	tokSymbol // one of : - + . )
	tokEnd
	tokWord // a run of characters >= 'A'; kw says which keyword, if any
)

type keyword int8

const (
	kwNone keyword = iota
	kwMonth
	kwZone
	kwTimeSep
	kwAmPm
)

type token struct {
	kind   tokKind
	kw     keyword
	value  int // number value (first 9 significant digits), keyword value, or the symbol
	length int // digits of a number, UTF-16 units of a word
}

func (t token) isSymbol(c int) bool    { return t.kind == tokSymbol && t.value == c }
func (t token) isSign() bool           { return t.isSymbol('+') || t.isSymbol('-') }
func (t token) signValue() int         { return 44 - t.value } // '+' → 1, '-' → -1
func (t token) isNumberLen(n int) bool { return t.kind == tokNumber && t.length == n }
func (t token) isKeyword(k keyword) bool {
	return t.kind == tokWord && t.kw == k
}

// isZ is the single letter "z" (UTC), the only zone allowed right after a time.
func (t token) isZ() bool { return t.isKeyword(kwZone) && t.length == 1 && t.value == 0 }

// maxDigits significant digits make a number's value; further digits only count in its length.
const maxDigits = 9

var keywords = [...]struct {
	prefix [3]rune
	kw     keyword
	value  int
}{
	{[3]rune{'j', 'a', 'n'}, kwMonth, 1},
	{[3]rune{'f', 'e', 'b'}, kwMonth, 2},
	{[3]rune{'m', 'a', 'r'}, kwMonth, 3},
	{[3]rune{'a', 'p', 'r'}, kwMonth, 4},
	{[3]rune{'m', 'a', 'y'}, kwMonth, 5},
	{[3]rune{'j', 'u', 'n'}, kwMonth, 6},
	{[3]rune{'j', 'u', 'l'}, kwMonth, 7},
	{[3]rune{'a', 'u', 'g'}, kwMonth, 8},
	{[3]rune{'s', 'e', 'p'}, kwMonth, 9},
	{[3]rune{'o', 'c', 't'}, kwMonth, 10},
	{[3]rune{'n', 'o', 'v'}, kwMonth, 11},
	{[3]rune{'d', 'e', 'c'}, kwMonth, 12},
	{[3]rune{'a', 'm'}, kwAmPm, 0},
	{[3]rune{'p', 'm'}, kwAmPm, 12},
	{[3]rune{'u', 't'}, kwZone, 0},
	{[3]rune{'u', 't', 'c'}, kwZone, 0},
	{[3]rune{'z'}, kwZone, 0},
	{[3]rune{'g', 'm', 't'}, kwZone, 0},
	{[3]rune{'c', 'd', 't'}, kwZone, -5},
	{[3]rune{'c', 's', 't'}, kwZone, -6},
	{[3]rune{'e', 'd', 't'}, kwZone, -4},
	{[3]rune{'e', 's', 't'}, kwZone, -5},
	{[3]rune{'m', 'd', 't'}, kwZone, -6},
	{[3]rune{'m', 's', 't'}, kwZone, -7},
	{[3]rune{'p', 'd', 't'}, kwZone, -7},
	{[3]rune{'p', 's', 't'}, kwZone, -8},
	{[3]rune{'t'}, kwTimeSep, 0},
}

// lookup finds a word by its lower-cased three-letter prefix. Only month names may be longer
// ("October", "Sept", and also "Junk"); any other word must match exactly.
func lookup(prefix [3]rune, length int) (keyword, int) {
	for _, k := range keywords {
		if k.prefix == prefix && (length <= 3 || k.kw == kwMonth) {
			return k.kw, k.value
		}
	}
	return kwNone, 0
}

// scanner splits the string into tokens with one token of look-ahead.
type scanner struct {
	s    string
	next int  // byte offset after ch
	ch   rune // current character; 0 at the end (a NUL character ends the input too, as in V8)
	peek token
}

func newScanner(s string) *scanner {
	sc := &scanner{s: s}
	sc.advance()
	sc.peek = sc.scan()
	return sc
}

func (sc *scanner) advance() {
	if sc.next >= len(sc.s) {
		sc.ch = 0
		sc.next = len(sc.s) + 1
		return
	}
	r, w := utf8.DecodeRuneInString(sc.s[sc.next:])
	sc.ch = r
	sc.next += w
}

func (sc *scanner) Next() token {
	t := sc.peek
	sc.peek = sc.scan()
	return t
}

func (sc *scanner) skipSymbol(c int) bool {
	if sc.peek.isSymbol(c) {
		sc.peek = sc.scan()
		return true
	}
	return false
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

// isWhiteSpace is ECMAScript's WhiteSpace (line terminators are not).
func isWhiteSpace(c rune) bool {
	switch c {
	case '\t', '\v', '\f', ' ', 0xA0, 0xFEFF:
		return true
	}
	return c > 0xFF && unicode.Is(unicode.Zs, c)
}

// isSpace is white space or a line terminator: a separator token.
func isSpace(c rune) bool {
	return isWhiteSpace(c) || c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029
}

// isWordChar: words are runs of anything from 'A' up (so "é" and U+2028 are letters) but white
// space.
func isWordChar(c rune) bool { return c >= 'A' && !isWhiteSpace(c) }

func (sc *scanner) scan() token {
	c := sc.ch
	switch {
	case c == 0:
		return token{kind: tokEnd, value: -1}
	case isDigit(c):
		// Leading zeros count in the length but not among the significant digits.
		n, length, digits := 0, 0, 0
		for sc.ch == '0' {
			length++
			sc.advance()
		}
		for isDigit(sc.ch) {
			if digits < maxDigits {
				n = n*10 + int(sc.ch-'0')
			}
			digits++
			sc.advance()
		}
		return token{kind: tokNumber, value: n, length: length + digits}
	case c == ':' || c == '-' || c == '+' || c == '.' || c == ')':
		sc.advance()
		return token{kind: tokSymbol, value: int(c), length: 1}
	case isWordChar(c):
		var prefix [3]rune
		length := 0
		for isWordChar(sc.ch) {
			if length < 3 {
				prefix[length] = sc.ch | 0x20 // V8's ASCII lower-casing, applied to any character
			}
			if sc.ch > 0xFFFF {
				length += 2 // a JavaScript string holds it as two UTF-16 units
			} else {
				length++
			}
			sc.advance()
		}
		kw, v := lookup(prefix, length)
		return token{kind: tokWord, kw: kw, value: v, length: length}
	case isSpace(c):
		sc.advance()
		return token{kind: tokSpace, value: -1, length: 1}
	case c == '(':
		// A comment, nested parentheses balanced, unterminated to the end.
		depth := 0
		for {
			if sc.ch == ')' {
				depth--
			} else if sc.ch == '(' {
				depth++
			}
			sc.advance()
			if depth <= 0 || sc.ch == 0 {
				break
			}
		}
		return token{kind: tokUnknown, value: -1, length: 1}
	default:
		sc.advance()
		return token{kind: tokUnknown, value: -1, length: 1}
	}
}

// ---- composers: collect components, then check and order them ----

func between(x, lo, hi int) bool { return x >= lo && x <= hi }
func isMonth(x int) bool         { return between(x, 1, 12) }
func isDay(x int) bool           { return between(x, 1, 31) }
func isHour(x int) bool          { return between(x, 0, 23) }
func isMinute(x int) bool        { return between(x, 0, 59) }
func isSecond(x int) bool        { return between(x, 0, 59) }
func isMilli(x int) bool         { return between(x, 0, 999) }

type dayParts struct {
	comp       [3]int
	n          int
	namedMonth int
	iso        bool // year-month-day order, no two-digit year expansion
}

func (d *dayParts) add(x int) bool {
	if d.n >= len(d.comp) {
		return false
	}
	d.comp[d.n] = x
	d.n++
	return true
}

func (d *dayParts) write(f *fields) bool {
	if d.n < 1 {
		return false
	}
	for d.n < len(d.comp) {
		d.comp[d.n] = 1 // month and day default to 1
		d.n++
	}
	year, month, day := 0, none, none
	if d.namedMonth == none {
		if d.iso || !isDay(d.comp[0]) {
			year, month, day = d.comp[0], d.comp[1], d.comp[2]
		} else {
			// month/day/year; the year defaults to 1 here, i.e. 2001 (the components were padded)
			month, day, year = d.comp[0], d.comp[1], d.comp[2]
		}
	} else {
		month = d.namedMonth
		if !isDay(d.comp[0]) {
			year, day = d.comp[0], d.comp[1]
		} else {
			day, year = d.comp[0], d.comp[1]
		}
	}
	if !d.iso {
		switch {
		case between(year, 0, 49):
			year += 2000
		case between(year, 50, 99):
			year += 1900
		}
	}
	if !isMonth(month) || !isDay(day) {
		return false
	}
	f.year, f.month, f.day = year, month, day
	return true
}

type timeParts struct {
	comp       [4]int
	n          int
	hourOffset int // 0 for AM, 12 for PM, none without either
}

func (t *timeParts) empty() bool { return t.n == 0 }

func (t *timeParts) expecting(x int) bool {
	return (t.n == 1 && isMinute(x)) || (t.n == 2 && isSecond(x)) || (t.n == 3 && isMilli(x))
}

func (t *timeParts) add(x int) bool {
	if t.n >= len(t.comp) {
		return false
	}
	t.comp[t.n] = x
	t.n++
	return true
}

func (t *timeParts) addFinal(x int) bool {
	if !t.add(x) {
		return false
	}
	for t.n < len(t.comp) {
		t.comp[t.n] = 0
		t.n++
	}
	return true
}

func (t *timeParts) write(f *fields) bool {
	for t.n < len(t.comp) {
		t.comp[t.n] = 0
		t.n++
	}
	h, m, s, ms := t.comp[0], t.comp[1], t.comp[2], t.comp[3]
	if t.hourOffset != none {
		if !between(h, 0, 12) {
			return false
		}
		h = h%12 + t.hourOffset
	}
	if !isHour(h) || !isMinute(m) || !isSecond(s) || !isMilli(ms) {
		if h != 24 || m != 0 || s != 0 || ms != 0 {
			return false
		}
	}
	f.hour, f.minute, f.second, f.millisecond = h, m, s, ms
	return true
}

type zoneParts struct{ sign, hour, minute int }

func (z *zoneParts) set(hours int) {
	z.sign = 1
	if hours < 0 {
		z.sign = -1
	}
	z.hour, z.minute = hours*z.sign, 0
}

func (z *zoneParts) setSign(s int) {
	z.sign = 1
	if s < 0 {
		z.sign = -1
	}
}

func (z *zoneParts) expecting(x int) bool {
	return z.hour != none && z.minute == none && isMinute(x)
}
func (z *zoneParts) isUTC() bool { return z.hour == 0 && z.minute == 0 }
func (z *zoneParts) empty() bool { return z.hour == none }

func (z *zoneParts) write(f *fields) bool {
	if z.sign == none {
		return true
	}
	if z.hour == none {
		z.hour = 0
	}
	if z.minute == none {
		z.minute = 0
	}
	// V8 adds in 32-bit unsigned arithmetic (so huge hours wrap) and refuses what exceeds a Smi.
	total := uint32(z.hour)*3600 + uint32(z.minute)*60
	if total > maxSmi {
		return false
	}
	f.offset = int(total) * z.sign
	f.hasOffset = true
	return true
}

// ---- the parser ----

func parseFields(s string) (fields, bool) {
	sc := newScanner(s)
	day := dayParts{namedMonth: none}
	tm := timeParts{hourOffset: none}
	tz := zoneParts{sign: none, hour: none, minute: none}

	tok := parseISO(sc, &day, &tm, &tz)
	if tok.kind == tokInvalid {
		return fields{}, false
	}
	hasNumber := day.n > 0
	// Whatever the ISO parser left is read by the legacy rules.
	for ; tok.kind != tokEnd; tok = sc.Next() {
		switch {
		case tok.kind == tokNumber:
			hasNumber = true
			n := tok.value
			if sc.skipSymbol(':') {
				if sc.skipSymbol(':') {
					// "n::" is hours and zero minutes
					if !tm.empty() {
						return fields{}, false
					}
					tm.add(n)
					tm.add(0)
				} else {
					if !tm.add(n) {
						return fields{}, false
					}
					if sc.peek.isSymbol('.') {
						sc.Next()
					}
				}
			} else if sc.skipSymbol('.') && tm.expecting(n) {
				// seconds '.' fraction (the '.' is consumed even when not expecting, as V8 does)
				tm.add(n)
				if sc.peek.kind != tokNumber {
					return fields{}, false
				}
				tm.addFinal(readMillis(sc.Next()))
			} else if tz.expecting(n) {
				tz.minute = n
			} else if tm.expecting(n) {
				tm.addFinal(n)
				// The time must be followed by the end, white space, "Z" or a sign.
				p := sc.peek
				if p.kind != tokEnd && p.kind != tokSpace && !p.isZ() && !p.isSign() {
					return fields{}, false
				}
			} else {
				if !day.add(n) {
					return fields{}, false
				}
				sc.skipSymbol('-')
			}
		case tok.kind == tokWord:
			switch {
			case tok.kw == kwAmPm && !tm.empty():
				tm.hourOffset = tok.value
			case tok.kw == kwMonth:
				day.namedMonth = tok.value
				sc.skipSymbol('-')
			case tok.kw == kwZone && hasNumber:
				tz.set(tok.value)
			default:
				// Words before the first number are ignored (week days, "Date:"), but must not
				// touch it; after a number, an unknown word invalidates the string.
				if hasNumber || sc.peek.kind == tokNumber {
					return fields{}, false
				}
			}
		case tok.isSign() && (tz.isUTC() || !tm.empty()):
			// A UTC offset, after "GMT"/"UTC"/"Z" or a time: +h, +hh, +hmm, +hhmm or +h…:mm.
			tz.setSign(tok.signValue())
			n, length := 0, 0
			if sc.peek.kind == tokNumber {
				t := sc.Next()
				n, length = t.value, t.length
			}
			hasNumber = true
			switch {
			case sc.peek.isSymbol(':'):
				tz.hour, tz.minute = n, none
			case length == 1 || length == 2:
				tz.hour, tz.minute = n, 0
			case length == 3 || length == 4:
				tz.hour, tz.minute = n/100, n%100
			default:
				return fields{}, false
			}
		case (tok.isSign() || tok.isSymbol(')')) && hasNumber:
			return fields{}, false
		default:
			// white space, comments, other characters
		}
	}

	var f fields
	if !day.write(&f) || !tm.write(&f) || !tz.write(&f) {
		return fields{}, false
	}
	return f, true
}

// readMillis keeps the first three digits of a fraction, as milliseconds.
func readMillis(t token) int {
	n, length := t.value, t.length
	switch {
	case length == 1:
		return n * 100
	case length == 2:
		return n * 10
	case length > 3:
		if length > maxDigits {
			length = maxDigits
		}
		for ; length > 3; length-- {
			n /= 10
		}
	}
	return n
}

// parseISO reads the ECMAScript format [+-yy]yyyy[-MM[-DD]][THH:mm[:ss[.s…]][Z|±hh:mm|±hhmm]] as
// far as it matches. It returns tokEnd when the whole string matched, tokInvalid when the string
// cannot be a date at all, and otherwise the first token the legacy rules must read (the
// components read so far stay, but not in ISO order).
func parseISO(sc *scanner, day *dayParts, tm *timeParts, tz *zoneParts) token {
	if sc.peek.isSign() {
		sign := sc.Next()
		if !sc.peek.isNumberLen(6) {
			return sign
		}
		year := sc.Next().value
		if sign.signValue() < 0 && year == 0 {
			return sign // -000000 is not a year; the number is skipped, as in V8
		}
		day.add(sign.signValue() * year)
	} else if sc.peek.isNumberLen(4) {
		day.add(sc.Next().value)
	} else {
		return sc.Next()
	}
	if sc.skipSymbol('-') {
		if !sc.peek.isNumberLen(2) || !isMonth(sc.peek.value) {
			return sc.Next()
		}
		day.add(sc.Next().value)
		if sc.skipSymbol('-') {
			if !sc.peek.isNumberLen(2) || !isDay(sc.peek.value) {
				return sc.Next()
			}
			day.add(sc.Next().value)
		}
	}
	if !sc.peek.isKeyword(kwTimeSep) {
		if sc.peek.kind != tokEnd {
			return sc.Next()
		}
	} else {
		sc.Next()
		invalid := token{kind: tokInvalid}
		if !sc.peek.isNumberLen(2) || !between(sc.peek.value, 0, 24) {
			return invalid
		}
		hour24 := sc.peek.value == 24 // only as 24:00[:00[.000]]
		tm.add(sc.Next().value)
		if !sc.skipSymbol(':') {
			return invalid
		}
		if !sc.peek.isNumberLen(2) || !isMinute(sc.peek.value) || (hour24 && sc.peek.value > 0) {
			return invalid
		}
		tm.add(sc.Next().value)
		if sc.skipSymbol(':') {
			if !sc.peek.isNumberLen(2) || !isSecond(sc.peek.value) || (hour24 && sc.peek.value > 0) {
				return invalid
			}
			tm.add(sc.Next().value)
			if sc.skipSymbol('.') {
				if sc.peek.kind != tokNumber || (hour24 && sc.peek.value > 0) {
					return invalid
				}
				tm.add(readMillis(sc.Next()))
			}
		}
		if sc.peek.isZ() {
			sc.Next()
			tz.set(0)
		} else if sc.peek.isSign() {
			tz.setSign(sc.Next().signValue())
			if sc.peek.isNumberLen(4) {
				hm := sc.Next().value
				if !isHour(hm/100) || !isMinute(hm%100) {
					return invalid
				}
				tz.hour, tz.minute = hm/100, hm%100
			} else {
				if !sc.peek.isNumberLen(2) || !isHour(sc.peek.value) {
					return invalid
				}
				tz.hour = sc.Next().value
				if !sc.skipSymbol(':') {
					return invalid
				}
				if !sc.peek.isNumberLen(2) || !isMinute(sc.peek.value) {
					return invalid
				}
				tz.minute = sc.Next().value
			}
		}
		if sc.peek.kind != tokEnd {
			return invalid
		}
	}
	// Date-only forms without an offset are UTC; date-time forms are local time.
	if tz.empty() && tm.empty() {
		tz.set(0)
	}
	day.iso = true
	return token{kind: tokEnd, value: -1}
}
