package rest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// catValues inserts product tags or types with the given values and returns their ids.
func catValues(t *testing.T, e *resttest.Env, table, prefix string, values ...string) []string {
	t.Helper()
	var ids []string
	for _, v := range values {
		id := store.NewID(prefix)
		catExec(t, e, "INSERT INTO "+table+" (id, value) VALUES (?, ?)", id, v)
		ids = append(ids, id)
	}
	return ids
}

func valueJSON(id, value string) string {
	return fmt.Sprintf(`{"id":%q,"created_at":"$time","updated_at":"$time","value":%q}`, id, value)
}

func valuesJSON(key string, count, offset, limit int, items ...string) string {
	return fmt.Sprintf(`{%q:[%s],"count":%d,"offset":%d,"limit":%d}`, key, strings.Join(items, ","), count, offset, limit)
}

func TestProductTagsAndTypesList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	for _, c := range []struct{ table, prefix, path, key, kind string }{
		{"product_tag", "ptag", "/admin/product-tags", "product_tags", "tag"},
		{"product_type", "ptyp", "/admin/product-types", "product_types", "type"},
	} {
		ids := catValues(t, e, c.table, c.prefix, "cotton", "bestseller", "summer", "eco")
		gone := catValues(t, e, c.table, c.prefix, "gone")
		catExec(t, e, "UPDATE "+c.table+" SET deleted_at = now() WHERE id = ?", gone[0])
		cotton, best, summer, eco := valueJSON(ids[0], "cotton"), valueJSON(ids[1], "bestseller"), valueJSON(ids[2], "summer"), valueJSON(ids[3], "eco")

		// Unordered in Medusa: as stored.
		e.Do("GET", c.path, nil).Expect(t, 200, valuesJSON(c.key, 4, 0, 10, cotton, best, summer, eco))
		e.Do("GET", c.path+"?limit=2&offset=1", nil).Expect(t, 200, valuesJSON(c.key, 4, 1, 2, best, summer))
		// Medusa answers 500 to any order; Gorgon orders.
		e.Do("GET", c.path+"?order=-value", nil).Expect(t, 200, valuesJSON(c.key, 4, 0, 10, summer, eco, cotton, best))
		e.Do("GET", c.path+"?q=O&value=eco", nil).Expect(t, 200, valuesJSON(c.key, 2, 0, 10, cotton, eco))
		e.Do("GET", c.path+"?value[]=eco&value[]=summer&value[]=x", nil).Expect(t, 200, valuesJSON(c.key, 2, 0, 10, summer, eco))
		e.Do("GET", c.path+"?value[gt]=c&value[lt]=e", nil).Expect(t, 200, valuesJSON(c.key, 1, 0, 10, cotton))
		e.Do("GET", c.path+"?id="+ids[1]+"&created_at[gt]=2000-01-01&updated_at[lt]=2100-01-01", nil).Expect(t, 200, valuesJSON(c.key, 1, 0, 10, best))

		e.Do("GET", c.path+"?order=foo", nil).Expect(t, 400, `{"type":"invalid_data","message":"Order field must be a valid product `+c.kind+` field"}`)
		e.Do("GET", c.path+"?limit=x&q[]=a&expand=x", nil).Expect(t, 400,
			`{"type":"invalid_data","message":"property expand should not exist, q must be a string, limit must be a number conforming to the specified constraints"}`)
		// IsType reports its first failure alone, as a JSON document.
		e.Do("GET", c.path+"?limit=x&value[foo]=1&created_at=x", nil).Expect(t, 400,
			`{"type":"invalid_data","message":"{\"message\":\"value must be one of: String,String,StringComparisonOperator\",\"details\":{\"String\":[\"String validation failed: [object Object] is not a string\"],\"undefined\":[\"Cannot read properties of undefined (reading 'constructor')\"],\"StringComparisonOperator\":[\"property foo should not exist\"]}}"}`)
		e.Do("GET", c.path+"?created_at[gt]=x&created_at[lt]=y", nil).Expect(t, 400,
			`{"type":"invalid_data","message":"{\"message\":\"created_at must be one of: DateComparisonOperator\",\"details\":{\"DateComparisonOperator\":[\"lt must be a Date instance\",\" gt must be a Date instance\"]}}"}`)
		e.Do("GET", c.path+"?updated_at=x", nil).Expect(t, 400,
			`{"type":"invalid_data","message":"{\"message\":\"updated_at must be one of: DateComparisonOperator\",\"details\":{}}"}`)
		e.DoAnon("GET", c.path, nil).ExpectText(t, 401, "Unauthorized")

		// Constant statements whatever the page size.
		e.Do("GET", c.path+"?limit=1", nil)
		one := e.Queries
		e.Do("GET", c.path+"?limit=50", nil)
		if e.Queries != one || one == 0 {
			t.Fatalf("%s statements: limit=1 %d, limit=50 %d", c.path, one, e.Queries)
		}
	}
}
