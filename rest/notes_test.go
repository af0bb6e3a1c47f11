package rest_test

import (
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// noteJSON is a note by the Env's admin as reads return it, with author (JSON) loaded.
func noteJSON(e *resttest.Env, id, value, resourceID, author string) string {
	return `{"id":"` + id + `","value":"` + value + `","resource_type":"order","resource_id":"` + resourceID + `",
		"author_id":"` + e.AdminID + `","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":{},"author":` + author + `}`
}

func TestNotesCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	author := adminUserJSON

	// Create answers the saved note without its author, like Medusa.
	res := e.Do("POST", "/admin/notes", map[string]any{"resource_id": "order_1", "resource_type": "order", "value": "Call the customer"})
	res.Expect(t, 200, `{"note":{"id":"$id:note","value":"Call the customer","resource_type":"order","resource_id":"order_1",
		"author_id":"`+e.AdminID+`","created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":{}}}`)
	id := res.JSON(t)["note"].(map[string]any)["id"].(string)

	e.Do("GET", "/admin/notes/"+id, nil).Expect(t, 200, `{"note":`+noteJSON(e, id, "Call the customer", "order_1", author)+`}`)
	// Medusa reads no query parameters on this route.
	e.Do("GET", "/admin/notes/"+id+"?expand=author", nil).Expect(t, 200, `{"note":`+noteJSON(e, id, "Call the customer", "order_1", author)+`}`)

	// An empty value is allowed on update (IsString only).
	e.Do("POST", "/admin/notes/"+id, map[string]any{"value": ""}).Expect(t, 200, `{"note":`+noteJSON(e, id, "", "order_1", author)+`}`)
	e.Do("POST", "/admin/notes/"+id, map[string]any{"value": "Called"}).Expect(t, 200, `{"note":`+noteJSON(e, id, "Called", "order_1", author)+`}`)

	e.Do("GET", "/admin/notes", nil).Expect(t, 200, `{"notes":[`+noteJSON(e, id, "Called", "order_1", author)+`],"count":1,"offset":0,"limit":50}`)

	e.Do("DELETE", "/admin/notes/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"note","deleted":true}`)
	e.Do("GET", "/admin/notes/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"Note with id: `+id+` was not found."}`)
	e.Do("DELETE", "/admin/notes/"+id, nil).Expect(t, 404, `{"type":"not_found","message":"Note with id: `+id+` was not found."}`)
	e.Do("POST", "/admin/notes/"+id, map[string]any{"value": "x"}).Expect(t, 404, `{"type":"not_found","message":"Note with id: `+id+` was not found."}`)
	e.Do("GET", "/admin/notes", nil).Expect(t, 200, `{"notes":[],"count":0,"offset":0,"limit":50}`)

	var events []string
	if err := e.DB.NewRaw(`SELECT name FROM gorgon.event WHERE name LIKE 'note.%' ORDER BY id`).Scan(t.Context(), &events); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(events) != "[note.created note.updated note.updated note.deleted]" {
		t.Fatalf("events: %v", events)
	}
	var deletedAt, updatedAt string
	if err := e.DB.QueryRow(`SELECT deleted_at::text, updated_at::text FROM note WHERE id = ?`, id).Scan(&deletedAt, &updatedAt); err != nil {
		t.Fatal(err)
	}
	if deletedAt != updatedAt {
		t.Fatalf("soft delete: deleted_at %s, updated_at %s", deletedAt, updatedAt)
	}
}

func TestNotesList(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	author := adminUserJSON
	var ids []string
	for i := 1; i <= 4; i++ {
		res := e.Do("POST", "/admin/notes", map[string]any{"resource_id": fmt.Sprintf("order_%d", i%2), "resource_type": "order", "value": fmt.Sprintf("n%d", i)})
		ids = append(ids, res.JSON(t)["note"].(map[string]any)["id"].(string))
	}
	// Oldest first; Medusa's count is the number of notes on the page, not the total.
	e.Do("GET", "/admin/notes?limit=2&offset=1", nil).Expect(t, 200, `{"notes":[`+noteJSON(e, ids[1], "n2", "order_0", author)+`,`+
		noteJSON(e, ids[2], "n3", "order_1", author)+`],"count":2,"offset":1,"limit":2}`)
	e.Do("GET", "/admin/notes?resource_id=order_1", nil).Expect(t, 200, `{"notes":[`+noteJSON(e, ids[0], "n1", "order_1", author)+`,`+
		noteJSON(e, ids[2], "n3", "order_1", author)+`],"count":2,"offset":0,"limit":50}`)
	// limit=0 is TypeORM's "no limit".
	res := e.Do("GET", "/admin/notes?limit=0", nil)
	if n := len(res.JSON(t)["notes"].([]any)); n != 4 {
		t.Fatalf("limit=0: %d notes", n)
	}

	// Bounded statements: one page of 1 costs what a page of 50 costs (the author is joined).
	e.Do("GET", "/admin/notes?limit=1", nil)
	one := e.Queries
	e.Do("GET", "/admin/notes?limit=50", nil)
	if e.Queries != one || one == 0 {
		t.Fatalf("queries: limit=1 %d, limit=50 %d", one, e.Queries)
	}

	// A deleted author shows as null, as TypeORM leaves a relation whose row is soft-deleted.
	if _, err := e.DB.Exec(`UPDATE "user" SET deleted_at = now() WHERE id = ?`, e.AdminID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(`INSERT INTO "user" (id, email, role, api_token) VALUES ('usr_reader', 'r@test.com', 'admin', 'reader_token')`); err != nil {
		t.Fatal(err)
	}
	res = e.DoWith("GET", "/admin/notes/"+ids[0], nil, map[string]string{"Authorization": "Bearer reader_token"})
	res.Expect(t, 200, `{"note":`+noteJSON(e, ids[0], "n1", "order_1", "null")+`}`)
}

func TestNotesBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/admin/notes", map[string]any{}).Expect(t, 400, `{"type":"invalid_data","message":"resource_id should not be empty, `+
		`resource_id must be a string, resource_type should not be empty, resource_type must be a string, value should not be empty, value must be a string"}`)
	// Unknown properties first, then each property in declaration order, whatever the type errors.
	e.Do("POST", "/admin/notes", map[string]any{"resource_id": "", "resource_type": 5, "value": nil, "zz": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property zz should not exist, resource_id should not be empty, `+
			`resource_type must be a string, value should not be empty, value must be a string"}`)
	e.Do("POST", "/admin/notes", map[string]any{"resource_id": "a", "resource_type": "b", "value": ""}).
		Expect(t, 400, `{"type":"invalid_data","message":"value should not be empty"}`)
	e.DoAnon("POST", "/admin/notes", map[string]any{"resource_id": "a", "resource_type": "b", "value": "c"}).ExpectText(t, 401, "Unauthorized")

	res := e.Do("POST", "/admin/notes", map[string]any{"resource_id": "order_1", "resource_type": "order", "value": "keep"})
	id := res.JSON(t)["note"].(map[string]any)["id"].(string)
	e.Do("POST", "/admin/notes/"+id, map[string]any{}).Expect(t, 400, `{"type":"invalid_data","message":"value must be a string"}`)
	e.Do("POST", "/admin/notes/"+id, map[string]any{"value": "", "x": 1}).Expect(t, 400, `{"type":"invalid_data","message":"property x should not exist"}`)
	e.Do("POST", "/admin/notes/"+id, map[string]any{"value": 3}).Expect(t, 400, `{"type":"invalid_data","message":"value must be a string"}`)

	e.Do("GET", "/admin/notes?foo=1&limit=abc&offset=x", nil).Expect(t, 400, `{"type":"invalid_data","message":"property foo should not exist, `+
		`limit must be a number conforming to the specified constraints, offset must be a number conforming to the specified constraints"}`)
	e.Do("GET", "/admin/notes?expand=author", nil).Expect(t, 400, `{"type":"invalid_data","message":"property expand should not exist"}`)
	e.Do("GET", "/admin/notes?resource_id=a&resource_id=b", nil).Expect(t, 400, `{"type":"invalid_data","message":"resource_id must be a string"}`)
	// Medusa answers a negative limit or offset with a 500.
	e.Do("GET", "/admin/notes?offset=-1", nil).Expect(t, 400, `{"type":"invalid_data","message":"limit and offset must not be negative"}`)

	for _, req := range []struct{ method, path string }{{"GET", "/admin/notes"}, {"GET", "/admin/notes/" + id}, {"POST", "/admin/notes/" + id}, {"DELETE", "/admin/notes/" + id}} {
		e.DoAnon(req.method, req.path, map[string]any{"value": "x"}).ExpectText(t, 401, "Unauthorized")
	}

	// Nothing changed.
	var n int
	var value string
	if err := e.DB.QueryRow(`SELECT count(*), max(value) FROM note WHERE deleted_at IS NULL`).Scan(&n, &value); err != nil {
		t.Fatal(err)
	}
	if n != 1 || value != "keep" {
		t.Fatalf("notes changed: %d %q", n, value)
	}
}

func TestNotesMatchSpec(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/notes", map[string]any{"resource_id": "order_1", "resource_type": "order", "value": "v"})
	res.MatchesSpec(t, "POST", "/admin/notes")
	id := res.JSON(t)["note"].(map[string]any)["id"].(string)
	e.Do("GET", "/admin/notes", nil).MatchesSpec(t, "GET", "/admin/notes")
	e.Do("GET", "/admin/notes/"+id, nil).MatchesSpec(t, "GET", "/admin/notes/"+id)
	e.Do("POST", "/admin/notes/"+id, map[string]any{"value": "w"}).MatchesSpec(t, "POST", "/admin/notes/"+id)
	e.Do("DELETE", "/admin/notes/"+id, nil).MatchesSpec(t, "DELETE", "/admin/notes/"+id)
}
