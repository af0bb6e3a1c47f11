package jsdate

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseOrSeconds is how Medusa 1.3.8 reads the dates of its query comparison filters
// (`created_at[gt]=…`, utils/validators/date-transform): a string JavaScript can parse is a date
// (Parse); anything else is taken as a number of seconds since the epoch (`Number(s) * 1000`), so
// "1700000000" is 14 Nov 2023, "" and "0x0" are the epoch, and "Infinity" or "abc" are invalid.
func ParseOrSeconds(s string, loc *time.Location) (time.Time, bool) {
	if t, ok := Parse(s, loc); ok {
		return t, true
	}
	return FromNumber(Number(s) * 1000)
}

// FromNumber is `new Date(ms)` for a number: invalid when not finite or beyond ±8.64e15 ms,
// otherwise truncated towards zero to whole milliseconds. The result is in UTC.
func FromNumber(ms float64) (time.Time, bool) {
	if math.IsNaN(ms) || math.Abs(ms) > maxTime {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(ms)).UTC(), true // int64() truncates towards zero, as TimeClip
}

// Number is JavaScript's `Number(s)` for a string: white space around is ignored, "" is 0,
// decimal literals with an optional sign and exponent, "Infinity" with an optional sign, and
// unsigned 0x/0o/0b integers; anything else is NaN.
func Number(s string) float64 {
	s = strings.TrimFunc(s, isSpace)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			return radixNumber(s[2:], base)
		}
	}
	body := s
	if body[0] == '+' || body[0] == '-' {
		body = body[1:]
	}
	if body == "Infinity" {
		if s[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	if !isDecimalLiteral(body) {
		return math.NaN()
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !isRangeError(err) {
		return math.NaN()
	}
	return f // out of range: ±Inf or ±0, as JavaScript rounds too
}

func isRangeError(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// isDecimalLiteral is StrUnsignedDecimalLiteral without Infinity: digits, an optional fraction
// (digits on at least one side of the point) and an optional exponent. Go's ParseFloat alone
// would also take "inf", "nan", hexadecimal floats and underscores.
func isDecimalLiteral(s string) bool {
	i, intDigits, fracDigits := 0, 0, 0
	for i < len(s) && isDigit(rune(s[i])) {
		i++
		intDigits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(rune(s[i])) {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(s) && isDigit(rune(s[i])) {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == len(s)
}

// radixNumber reads the digits of a 0x/0o/0b literal; values past 2^64 only need to be huge (every
// such number of seconds is an invalid date), not exact.
func radixNumber(digits string, base int) float64 {
	for _, c := range digits {
		v := -1
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'a' && c <= 'f':
			v = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = int(c-'A') + 10
		}
		if v < 0 || v >= base {
			return math.NaN()
		}
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil {
		return math.Inf(1)
	}
	return float64(u)
}
