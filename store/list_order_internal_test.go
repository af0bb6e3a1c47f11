package store

import "testing"

// listOrder takes only the list's allowed columns and ends with the id in the last key's
// direction; without keys, newest first.
func TestListOrderColumns(t *testing.T) {
	for _, c := range []struct {
		keys []ListOrder
		want string
	}{
		{nil, `"discount".created_at DESC, "discount".id DESC`},
		{[]ListOrder{{Column: "code"}}, `"discount".code ASC, "discount".id ASC`},
		{[]ListOrder{{Column: "is_dynamic", Desc: true}, {Column: "ends_at"}}, `"discount".is_dynamic DESC, "discount".ends_at ASC, "discount".id ASC`},
	} {
		got, err := listOrder("discount", c.keys, discountOrderColumns)
		if err != nil || got != c.want {
			t.Errorf("%v: %q, %v; want %q", c.keys, got, err, c.want)
		}
	}
	for _, col := range []string{"id; DROP TABLE discount", "rule_id", "", "email"} {
		_, err := listOrder("discount", []ListOrder{{Column: col}}, discountOrderColumns)
		if se, ok := err.(*Error); !ok || se.Type != "invalid_data" || se.Message != "Order field "+col+" is not valid" {
			t.Errorf("%q: %v, want refused", col, err)
		}
	}
}
