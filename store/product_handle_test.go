package store

import "testing"

// The expectations are lodash 4's kebabCase, which Medusa's Product model uses for handles.
func TestProductHandle(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"Probe X6", "probe-x-6"},
		{"Classic T-Shirt", "classic-t-shirt"},
		{"Gorgon Probe Tee", "gorgon-probe-tee"},
		{"fooBar", "foo-bar"},
		{"XMLHttpRequest", "xml-http-request"},
		{"abc123def", "abc-123-def"},
		{"Crème Brûlée", "creme-brulee"},
		{"It's a test", "its-a-test"},
		{"21st Century", "21st-century"},
		{"3rd party 4th", "3rd-party-4th"},
		{"Привет мир", "привет-мир"},
		{"你好 世界", "你好-世界"},
		{"  --Hello__World--  ", "hello-world"},
		{"ÄÖÜ ß", "aou-ss"},
		{"Tee (2022) v2.0", "tee-2022-v-2-0"},
		{"100% Cotton!", "100-cotton"},
		{"ABC", "abc"},
		{"ABCdef", "ab-cdef"},
		{"aBC", "a-bc"},
		{"Hello World 😀 x", "hello-world-😀-x"},
		{"1st", "1st"},
		{"a1st", "a-1st"},
		{"foo_bar-baz.qux", "foo-bar-baz-qux"},
		{"Ørsted æble", "orsted-aeble"},
		{"T-shirt: size/XL", "t-shirt-size-xl"},
		{"11th", "11-th"},
		{"12TH Floor", "12-th-floor"},
		{"2ndary", "2-ndary"},
		{"HTML5 Guide", "html-5-guide"},
		{"iPhone 14 Pro Max", "i-phone-14-pro-max"},
		{"über-Cool", "uber-cool"},
		{"Ĳssel ŉ", "i-jssel-n"},
		{"MAKE it RAIN", "make-it-rain"},
		{"x", "x"},
		{"", ""},
		{"Tab\there", "tab-here"},
		{"né é", "ne-e"},
	} {
		if got := ProductHandle(c.in); got != c.want {
			t.Errorf("ProductHandle(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
