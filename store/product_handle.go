package store

import (
	"strings"
	"unicode/utf8"
)

// ProductHandle is the handle Medusa gives a product created without one: lodash's kebabCase of
// the title (Latin letters deburred, apostrophes dropped, words split at case changes, letter/digit
// boundaries and punctuation, lower-cased, joined by "-"), e.g. "Probe X6" → "probe-x-6".
func ProductHandle(title string) string {
	words := lodashWords(strings.NewReplacer("'", "", "\u2019", "").Replace(deburr(title)))
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	return strings.Join(words, "-")
}

// deburrTable maps U+00C0…U+017F to lodash's deburred letters ("" = unchanged).
var deburrTable = [...]string{
	"A", "A", "A", "A", "A", "A", "Ae", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", "", "O", "U", "U", "U", "U", "Y", "Th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
	"A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
	"D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
	"G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
	"I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
	"l", "L", "l", "N", "n", "N", "n", "N", "n", "'n", "N", "n", "O", "o", "O", "o",
	"O", "o", "Oe", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
	"S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
	"U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
}

// deburr is lodash's deburr: Latin-1 Supplement and Latin Extended-A letters to basic Latin, and
// combining diacritical marks removed.
func deburr(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xc0 && r <= 0x17f && deburrTable[r-0xc0] != "":
			b.WriteString(deburrTable[r-0xc0])
		case r >= 0x300 && r <= 0x36f, r >= 0xfe20 && r <= 0xfe2f, r >= 0x20d0 && r <= 0x20ff:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isUpperRune(r rune) bool {
	return r >= 'A' && r <= 'Z' || r >= 0xc0 && r <= 0xd6 || r >= 0xd8 && r <= 0xde
}

func isLowerRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 0xdf && r <= 0xf6 || r >= 0xf8 && r <= 0xff
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// isBreakRune is lodash's rsBreakRange: math operators, ASCII and Latin-1 non-letters, general
// punctuation and spaces.
func isBreakRune(r rune) bool {
	switch {
	case r == 0xac, r == 0xb1, r == 0xd7, r == 0xf7:
		return true
	case r <= 0x2f, r >= 0x3a && r <= 0x40, r >= 0x5b && r <= 0x60, r >= 0x7b && r <= 0xbf:
		return true
	case r >= 0x2000 && r <= 0x206f:
		return true
	case r == 0xfeff, r == 0x1680, r == 0x180e, r == 0x3000:
		return true
	}
	return false
}

func isEmojiRune(r rune) bool { return r >= 0x10000 || r >= 0x2700 && r <= 0x27bf }

// isMiscRune is lodash's rsMisc: any other letter (other scripts).
func isMiscRune(r rune) bool {
	return !isBreakRune(r) && !isDigitRune(r) && !isLowerRune(r) && !isUpperRune(r) && !isEmojiRune(r)
}

func isMiscLowerRune(r rune) bool { return isLowerRune(r) || isMiscRune(r) }
func isMiscUpperRune(r rune) bool { return isUpperRune(r) || isMiscRune(r) }

// lodashWords splits s like lodash's words() (its unicode word pattern, which every title with
// punctuation or mixed case takes): the alternatives are tried in lodash's order at each position.
func lodashWords(s string) []string {
	rs := []rune(s)
	n := len(rs)
	at := func(i int) rune {
		if i < 0 || i >= n {
			return utf8.RuneError
		}
		return rs[i]
	}
	run := func(i int, f func(rune) bool) int {
		for i < n && f(rs[i]) {
			i++
		}
		return i
	}
	isWordChar := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || isDigitRune(r) || r == '_'
	}
	// ordinal matches \d*(?:1st|2nd|3rd|(?![123])\dth) followed by a word boundary or a
	// character of the other case (or "_").
	ordinal := func(i int, upper bool) int {
		sfx := []string{"1st", "2nd", "3rd", "th"}
		if upper {
			sfx = []string{"1ST", "2ND", "3RD", "TH"}
		}
		digits := run(i, isDigitRune)
		for d := digits; d >= i; d-- {
			for k, x := range sfx {
				end := -1
				if k < 3 {
					if d+3 <= n && string(rs[d:d+3]) == x {
						end = d + 3
					}
				} else if d+3 <= n && isDigitRune(rs[d]) && !strings.ContainsRune("123", rs[d]) && string(rs[d+1:d+3]) == x {
					end = d + 3
				}
				if end < 0 {
					continue
				}
				next := at(end)
				boundary := end == n || !isWordChar(next)
				other := next == '_' || (upper && next >= 'a' && next <= 'z') || (!upper && next >= 'A' && next <= 'Z')
				if boundary || other {
					return end
				}
			}
		}
		return -1
	}
	var words []string
	for i := 0; i < n; {
		end := -1
		// 1. rsUpper? rsLower+ (?=rsBreak|rsUpper|$)
		j := i
		if isUpperRune(at(j)) {
			j++
		}
		if k := run(j, isLowerRune); k > j {
			if k == n || isBreakRune(rs[k]) || isUpperRune(rs[k]) {
				end = k
			}
		}
		// 2. rsMiscUpper+ (?=rsBreak|rsUpper rsMiscLower|$), backtracking the greedy run.
		if end < 0 {
			for k := run(i, isMiscUpperRune); k > i; k-- {
				if k == n || isBreakRune(rs[k]) || (isUpperRune(rs[k]) && k+1 < n && isMiscLowerRune(rs[k+1])) {
					end = k
					break
				}
			}
		}
		// 3. rsUpper? rsMiscLower+
		if end < 0 {
			j := i
			if isUpperRune(at(j)) && isMiscLowerRune(at(j+1)) {
				j++
			}
			if k := run(j, isMiscLowerRune); k > j {
				end = k
			}
		}
		// 4. rsUpper+
		if end < 0 {
			if k := run(i, isUpperRune); k > i {
				end = k
			}
		}
		// 5, 6. ordinals, upper then lower case
		if end < 0 {
			end = ordinal(i, true)
		}
		if end < 0 {
			end = ordinal(i, false)
		}
		// 7. digits
		if end < 0 {
			if k := run(i, isDigitRune); k > i {
				end = k
			}
		}
		// 8. an emoji with its modifiers and joined sequence
		if end < 0 && isEmojiRune(rs[i]) {
			k := i + 1
			for k < n && (rs[k] == 0xfe0f || rs[k] == 0xfe0e || rs[k] >= 0x1f3fb && rs[k] <= 0x1f3ff) {
				k++
			}
			for k+1 < n && rs[k] == 0x200d && isEmojiRune(rs[k+1]) {
				k += 2
			}
			end = k
		}
		if end < 0 {
			i++
			continue
		}
		words = append(words, string(rs[i:end]))
		i = end
	}
	return words
}
