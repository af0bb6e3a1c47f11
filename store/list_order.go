package store

import "strings"

// ListOrder is one key of a list's order (GraphQL's orderBy): a column the list allows,
// ascending or descending.
type ListOrder struct {
	Column string
	Desc   bool
}

// Sortable columns of the lists with an orderBy: plain columns of the listed table, each cheap
// to sort (no join, no computed value; customers and discounts are small enough to sort).
var (
	discountOrderColumns = []string{"code", "is_dynamic", "is_disabled", "starts_at", "ends_at", "usage_count", "usage_limit",
		"created_at", "updated_at"}
	customerOrderColumns = []string{"email", "first_name", "last_name", "has_account", "created_at", "updated_at"}
	// Orders are the big table: only the indexed columns (Gorgon's created_at index, Medusa's
	// display_id index), so that a page reads an index rather than sorting every order.
	orderOrderColumns = []string{"created_at", "display_id"}
)

// listOrder is the ORDER BY of a list of table alias by keys, each a column of allowed; without
// keys, newest first. The id ends it (in the last key's direction) so that rows with equal keys
// keep one order across pages. Columns come from allowed only, never from the caller's text.
func listOrder(alias string, keys []ListOrder, allowed []string) (string, error) {
	if len(keys) == 0 {
		keys = []ListOrder{{Column: "created_at", Desc: true}}
	}
	parts := make([]string, 0, len(keys)+1)
	desc := false
	for _, k := range keys {
		col := ""
		for _, a := range allowed {
			if a == k.Column {
				col = a
			}
		}
		if col == "" {
			return "", Invalidf("Order field %s is not valid", k.Column)
		}
		desc = k.Desc
		parts = append(parts, `"`+alias+`".`+col+direction(desc))
	}
	parts = append(parts, `"`+alias+`".id`+direction(desc))
	return strings.Join(parts, ", "), nil
}

func direction(desc bool) string {
	if desc {
		return " DESC"
	}
	return " ASC"
}
