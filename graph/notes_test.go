package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// nraString reads the string at data.<path...> of a GraphQL response.
func nraString(t *testing.T, res *resttest.Response, path ...string) string {
	t.Helper()
	var v any = res.JSON(t)["data"]
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %v in %s", path, res.Body)
		}
		v = m[k]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("no string at %v in %s", path, res.Body)
	}
	return s
}

const noteFields = `id value resourceType resourceId author { id email } createdAt updatedAt metadata`

func TestNotesGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	admin := `{"id":"` + e.AdminID + `","email":"admin@test.com"}`
	create := `mutation($in: CreateNoteInput!) { createNote(input: $in) { note { ` + noteFields + ` } userErrors { field message code } } }`

	res := gql(e, create, map[string]any{"in": map[string]any{"resourceId": "order_1", "resourceType": "order", "value": "first"}})
	res.Expect(t, 200, `{"data":{"createNote":{"note":{"id":"$id:note","value":"first","resourceType":"order","resourceId":"order_1",
		"author":`+admin+`,"createdAt":"$time","updatedAt":"$time","metadata":{}},"userErrors":[]}}}`)
	id := nraString(t, res, "createNote", "note", "id")
	res = gql(e, create, map[string]any{"in": map[string]any{"resourceId": "order_2", "resourceType": "order", "value": "second"}})
	id2 := nraString(t, res, "createNote", "note", "id")

	// Bad input: a userError, no note.
	gql(e, create, map[string]any{"in": map[string]any{"resourceId": "", "resourceType": "order", "value": ""}}).Expect(t, 200,
		`{"data":{"createNote":{"note":null,"userErrors":[{"field":["resourceId"],
		"message":"resource_id should not be empty, value should not be empty","code":"INVALID_DATA"}]}}}`)

	// The list, all and filtered by resource.
	gql(e, `{ notes { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { `+noteFields+` } } }`, nil).
		Expect(t, 200, `{"data":{"notes":{"totalCount":2,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false,"startCursor":"$string","endCursor":"$string"},
		"edges":[{"cursor":"$string","node":{"id":"`+id+`"}},{"cursor":"$string","node":{"id":"`+id2+`"}}],
		"nodes":[{"id":"`+id+`","value":"first","resourceType":"order","resourceId":"order_1","author":`+admin+`,"createdAt":"$time","updatedAt":"$time","metadata":{}},
		{"id":"`+id2+`","value":"second","resourceType":"order","resourceId":"order_2","author":`+admin+`,"createdAt":"$time","updatedAt":"$time","metadata":{}}]}}}`)
	gql(e, `{ notes(resourceId: "order_2") { totalCount nodes { id value } } }`, nil).Expect(t, 200,
		`{"data":{"notes":{"totalCount":1,"nodes":[{"id":"`+id2+`","value":"second"}]}}}`)
	res = gql(e, `{ notes(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`, nil)
	res.Expect(t, 200, `{"data":{"notes":{"totalCount":2,"pageInfo":{"hasNextPage":true,"endCursor":"$string"},"nodes":[{"id":"`+id+`"}]}}}`)
	gql(e, `query($after: String) { notes(first: 1, after: $after) { pageInfo { hasNextPage hasPreviousPage } nodes { id } } }`,
		map[string]any{"after": nraString(t, res, "notes", "pageInfo", "endCursor")}).Expect(t, 200,
		`{"data":{"notes":{"pageInfo":{"hasNextPage":false,"hasPreviousPage":true},"nodes":[{"id":"`+id2+`"}]}}}`)

	// By id, and as a node.
	gql(e, `query($id: ID!) { note(id: $id) { `+noteFields+` } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"note":{"id":"`+id+`","value":"first","resourceType":"order","resourceId":"order_1","author":`+admin+`,
		"createdAt":"$time","updatedAt":"$time","metadata":{}}}}`)
	gql(e, `query($id: ID!) { node(id: $id) { id ... on Note { value author { email } } } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"node":{"id":"`+id+`","value":"first","author":{"email":"admin@test.com"}}}}`)
	gql(e, `{ note(id: "note_missing") { id } node(id: "note_missing") { id } }`, nil).Expect(t, 200, `{"data":{"note":null,"node":null}}`)

	// Update; a missing note is a userError.
	update := `mutation($id: ID!, $value: String!) { updateNote(id: $id, input: {value: $value}) { note { ` + noteFields + ` } userErrors { field message code } } }`
	gql(e, update, map[string]any{"id": id, "value": "changed"}).Expect(t, 200,
		`{"data":{"updateNote":{"note":{"id":"`+id+`","value":"changed","resourceType":"order","resourceId":"order_1","author":`+admin+`,
		"createdAt":"$time","updatedAt":"$time","metadata":{}},"userErrors":[]}}}`)
	gql(e, update, map[string]any{"id": "note_missing", "value": "x"}).Expect(t, 200,
		`{"data":{"updateNote":{"note":null,"userErrors":[{"field":null,"message":"Note with id: note_missing was not found.","code":"NOT_FOUND"}]}}}`)

	// Delete; deleting again is a userError.
	del := `mutation($id: ID!) { deleteNote(id: $id) { deletedId userErrors { field message code } } }`
	gql(e, del, map[string]any{"id": id}).Expect(t, 200, `{"data":{"deleteNote":{"deletedId":"`+id+`","userErrors":[]}}}`)
	gql(e, del, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"deleteNote":{"deletedId":null,"userErrors":[{"field":null,"message":"Note with id: `+id+` was not found.","code":"NOT_FOUND"}]}}}`)

	// Nothing else changed.
	gql(e, `{ notes { totalCount nodes { id value } } }`, nil).Expect(t, 200,
		`{"data":{"notes":{"totalCount":1,"nodes":[{"id":"`+id2+`","value":"second"}]}}}`)
}

func TestNoteAuthorDeleted(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	u, err := e.Store.CreateUser(ctx, store.CreateUserInput{Email: "gone@test.com", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.Store.CreateNote(store.WithUser(ctx, u), store.CreateNoteInput{ResourceID: "order_1", ResourceType: "order", Value: "v"})
	if err != nil {
		t.Fatal(err)
	}
	gql(e, `{ notes { nodes { author { email } } } }`, nil).Expect(t, 200, `{"data":{"notes":{"nodes":[{"author":{"email":"gone@test.com"}}]}}}`)
	if err := e.Store.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	gql(e, `query($id: ID!) { notes { nodes { id author { email } } } note(id: $id) { author { email } } }`, map[string]any{"id": n.ID}).
		Expect(t, 200, `{"data":{"notes":{"nodes":[{"id":"`+n.ID+`","author":null}]},"note":{"author":null}}}`)
}

// A page of notes costs the same statements whatever its size: authors load in one batch.
func TestNotesAuthorsBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	ctx := context.Background()
	addNotes := func(from, to int) {
		for i := from; i < to; i++ {
			u, err := e.Store.CreateUser(ctx, store.CreateUserInput{Email: fmt.Sprintf("author%d@test.com", i), Password: "pw"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Store.CreateNote(store.WithUser(ctx, u), store.CreateNoteInput{ResourceID: "order_1", ResourceType: "order", Value: "v"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ notes(first: 100) { totalCount nodes { id author { id email } } } }`, nil)
		if got := len(res.JSON(t)["data"].(map[string]any)["notes"].(map[string]any)["nodes"].([]any)); got != n {
			t.Fatalf("%d notes, want %d: %s", got, n, res.Body)
		}
		return e.Queries
	}
	addNotes(0, 2)
	q2 := query(2)
	addNotes(2, 20)
	if q20 := query(20); q20 != q2 {
		t.Fatalf("20 notes cost %d statements, 2 notes %d", q20, q2)
	}
	t.Logf("a page of notes with authors: %d statements", q2)
}
