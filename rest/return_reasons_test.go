package rest_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// rrJSON is a return reason as Medusa's routes answer it: no metadata at the top level, parent and
// children (with every column) after the columns.
func rrJSON(id, value, label, description, parentID, parent, children string) string {
	return `{"id":"` + id + `","created_at":"$time","updated_at":"$time","deleted_at":null,"value":"` + value + `","label":"` + label +
		`","description":` + description + `,"parent_return_reason_id":` + parentID + `,"parent_return_reason":` + parent +
		`,"return_reason_children":` + children + `}`
}

// rrRelJSON is a return reason inside another one's relations: every column, no relations.
func rrRelJSON(id, value, label, description, parentID, metadata string) string {
	return `{"id":"` + id + `","created_at":"$time","updated_at":"$time","deleted_at":null,"value":"` + value + `","label":"` + label +
		`","description":` + description + `,"parent_return_reason_id":` + parentID + `,"metadata":` + metadata + `}`
}

func createRR(t *testing.T, e *resttest.Env, body map[string]any) string {
	t.Helper()
	res := e.Do("POST", "/admin/return-reasons", body)
	if res.Status != 200 {
		t.Fatalf("create return reason: %d %s", res.Status, res.Body)
	}
	return res.JSON(t)["return_reason"].(map[string]any)["id"].(string)
}

func TestReturnReasonsCRUD(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("GET", "/admin/return-reasons", nil).Expect(t, 200, `{"return_reasons":[]}`)

	res := e.Do("POST", "/admin/return-reasons", map[string]any{"value": "wrong_size", "label": "Wrong size", "metadata": map[string]any{"a": 1}})
	res.Expect(t, 200, `{"return_reason":`+rrJSON("$id:rr", "wrong_size", "Wrong size", "null", "null", "null", "[]")+`}`)
	parent := res.JSON(t)["return_reason"].(map[string]any)["id"].(string)

	res = e.Do("POST", "/admin/return-reasons", map[string]any{"value": "too_big", "label": "Too big", "description": "d",
		"parent_return_reason_id": parent, "metadata": map[string]any{"b": 2}})
	res.Expect(t, 200, `{"return_reason":`+rrJSON("$id:rr", "too_big", "Too big", `"d"`, `"`+parent+`"`,
		rrRelJSON(parent, "wrong_size", "Wrong size", "null", "null", `{"a":1}`), "[]")+`}`)
	child := res.JSON(t)["return_reason"].(map[string]any)["id"].(string)
	child2 := createRR(t, e, map[string]any{"value": "too_small", "label": "Too small", "parent_return_reason_id": parent})
	other := createRR(t, e, map[string]any{"value": "damaged", "label": "Damaged"})

	parentRel := rrRelJSON(parent, "wrong_size", "Wrong size", "null", "null", `{"a":1}`)
	childRel := rrRelJSON(child, "too_big", "Too big", `"d"`, `"`+parent+`"`, `{"b":2}`)
	child2Rel := rrRelJSON(child2, "too_small", "Too small", "null", `"`+parent+`"`, "null")
	// Top-level reasons only, oldest first, children inside; Medusa reads no query parameters here.
	e.Do("GET", "/admin/return-reasons?limit=1&foo=bar", nil).Expect(t, 200, `{"return_reasons":[`+
		rrJSON(parent, "wrong_size", "Wrong size", "null", "null", "null", "["+childRel+","+child2Rel+"]")+`,`+
		rrJSON(other, "damaged", "Damaged", "null", "null", "null", "[]")+`]}`)
	e.Do("GET", "/admin/return-reasons/"+child, nil).Expect(t, 200, `{"return_reason":`+
		rrJSON(child, "too_big", "Too big", `"d"`, `"`+parent+`"`, parentRel, "[]")+`}`)

	// Update: metadata is replaced, description null clears.
	e.Do("POST", "/admin/return-reasons/"+child, map[string]any{"label": "Way too big", "value": "way_too_big", "description": nil, "metadata": map[string]any{"c": 3}}).
		Expect(t, 200, `{"return_reason":`+rrJSON(child, "way_too_big", "Way too big", "null", `"`+parent+`"`, parentRel, "[]")+`}`)
	// The updated child's row is rewritten: it now comes last (children are listed as PostgreSQL
	// stores them, as Medusa reads them without an ORDER BY).
	e.Do("GET", "/admin/return-reasons/"+parent, nil).Expect(t, 200, `{"return_reason":`+
		rrJSON(parent, "wrong_size", "Wrong size", "null", "null", "null", "["+child2Rel+","+
			rrRelJSON(child, "way_too_big", "Way too big", "null", `"`+parent+`"`, `{"c":3}`)+"]")+`}`)
	e.Do("POST", "/admin/return-reasons/"+child, map[string]any{"metadata": nil}).
		Expect(t, 200, `{"return_reason":`+rrJSON(child, "way_too_big", "Way too big", "null", `"`+parent+`"`, parentRel, "[]")+`}`)

	// Deleting a child leaves the parent; deleting the parent takes its live children along.
	e.Do("DELETE", "/admin/return-reasons/"+child2, nil).Expect(t, 200, `{"id":"`+child2+`","object":"return_reason","deleted":true}`)
	e.Do("GET", "/admin/return-reasons/"+child2, nil).Expect(t, 404, `{"type":"not_found","message":"Return Reason with id: `+child2+` was not found."}`)
	e.Do("DELETE", "/admin/return-reasons/"+child2, nil).Expect(t, 404, `{"type":"not_found","message":"Return Reason with id: `+child2+` was not found."}`)
	var child2Deleted string
	if err := e.DB.QueryRow(`SELECT deleted_at::text FROM return_reason WHERE id = ?`, child2).Scan(&child2Deleted); err != nil {
		t.Fatal(err)
	}
	e.Do("DELETE", "/admin/return-reasons/"+parent, nil).Expect(t, 200, `{"id":"`+parent+`","object":"return_reason","deleted":true}`)
	e.Do("GET", "/admin/return-reasons/"+child, nil).Expect(t, 404, `{"type":"not_found","message":"Return Reason with id: `+child+` was not found."}`)
	e.Do("GET", "/admin/return-reasons", nil).Expect(t, 200, `{"return_reasons":[`+rrJSON(other, "damaged", "Damaged", "null", "null", "null", "[]")+`]}`)
	var sameDeleted bool
	var child2After string
	err := e.DB.QueryRow(`SELECT (SELECT deleted_at FROM return_reason WHERE id = ?) = (SELECT deleted_at FROM return_reason WHERE id = ?),
		(SELECT deleted_at::text FROM return_reason WHERE id = ?)`, parent, child, child2).Scan(&sameDeleted, &child2After)
	if err != nil {
		t.Fatal(err)
	}
	if !sameDeleted || child2After != child2Deleted {
		t.Fatalf("cascade: parent and child deleted together %v; earlier deleted child kept its time %q → %q", sameDeleted, child2Deleted, child2After)
	}
}

func TestReturnReasonsBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	parent := createRR(t, e, map[string]any{"value": "v", "label": "l", "metadata": map[string]any{"keep": true}})
	child := createRR(t, e, map[string]any{"value": "c", "label": "c", "parent_return_reason_id": parent})

	e.Do("POST", "/admin/return-reasons", map[string]any{}).
		Expect(t, 400, `{"type":"invalid_data","message":"value must be a string, label must be a string"}`)
	// Unknown properties first, then declaration order (value, label, …, description).
	e.Do("POST", "/admin/return-reasons", map[string]any{"label": 5, "zz": 1, "description": 3}).
		Expect(t, 400, `{"type":"invalid_data","message":"property zz should not exist, value must be a string, label must be a string, description must be a string"}`)
	// Medusa stores any JSON as metadata; Gorgon wants an object.
	e.Do("POST", "/admin/return-reasons", map[string]any{"value": "x", "label": "x", "metadata": "abc"}).
		Expect(t, 400, `{"type":"invalid_data","message":"metadata must be an object"}`)
	e.Do("POST", "/admin/return-reasons", map[string]any{"value": "gc", "label": "GC", "parent_return_reason_id": child}).
		Expect(t, 400, `{"type":"invalid_data","message":"Doubly nested return reasons is not supported"}`)
	e.Do("POST", "/admin/return-reasons", map[string]any{"value": "x", "label": "x", "parent_return_reason_id": "rr_missing"}).
		Expect(t, 404, `{"type":"not_found","message":"Return Reason with id: rr_missing was not found."}`)
	// Medusa: 500 (foreign key).
	e.Do("POST", "/admin/return-reasons", map[string]any{"value": "x", "label": "x", "parent_return_reason_id": ""}).
		Expect(t, 404, `{"type":"not_found","message":"Return Reason with id:  was not found."}`)
	// Duplicate value: Medusa answers 500.
	e.Do("POST", "/admin/return-reasons", map[string]any{"value": "v", "label": "again"}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"Return_reason with value v already exists."}`)
	e.Do("POST", "/admin/return-reasons/"+child, map[string]any{"value": "v"}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"Return_reason with value v already exists."}`)

	e.Do("POST", "/admin/return-reasons/"+child, map[string]any{"parent_return_reason_id": nil, "label": "x"}).
		Expect(t, 400, `{"type":"invalid_data","message":"property parent_return_reason_id should not exist"}`)
	// Medusa: 500 (NOT NULL columns).
	e.Do("POST", "/admin/return-reasons/"+child, map[string]any{"label": nil, "value": 1, "description": 2, "metadata": []int{1}}).
		Expect(t, 400, `{"type":"invalid_data","message":"label must be a string, value must be a string, description must be a string, metadata must be an object"}`)
	e.Do("POST", "/admin/return-reasons/rr_missing", map[string]any{"label": "x"}).
		Expect(t, 404, `{"type":"not_found","message":"Return Reason with id: rr_missing was not found."}`)
	e.Do("GET", "/admin/return-reasons/rr_missing", nil).
		Expect(t, 404, `{"type":"not_found","message":"Return Reason with id: rr_missing was not found."}`)
	e.Do("DELETE", "/admin/return-reasons/rr_missing", nil).
		Expect(t, 404, `{"type":"not_found","message":"Return Reason with id: rr_missing was not found."}`)

	for _, req := range []struct{ method, path string }{{"GET", "/admin/return-reasons"}, {"POST", "/admin/return-reasons"},
		{"GET", "/admin/return-reasons/" + parent}, {"POST", "/admin/return-reasons/" + parent}, {"DELETE", "/admin/return-reasons/" + parent}} {
		e.DoAnon(req.method, req.path, map[string]any{"value": "anon", "label": "anon"}).ExpectText(t, 401, "Unauthorized")
	}

	// Nothing changed.
	e.Do("GET", "/admin/return-reasons", nil).Expect(t, 200, `{"return_reasons":[`+rrJSON(parent, "v", "l", "null", "null", "null",
		"["+rrRelJSON(child, "c", "c", "null", `"`+parent+`"`, "null")+"]")+`]}`)
	var n int
	if err := e.DB.QueryRow(`SELECT count(*) FROM return_reason WHERE metadata = '{"keep":true}' OR id = ?`, child).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("return reasons changed: %d", n)
	}
}

// Values of deleted reasons stay taken (Medusa's unique index covers them): 422, not a 500.
func TestReturnReasonsDeletedValue(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	id := createRR(t, e, map[string]any{"value": "gone", "label": "Gone"})
	e.Do("DELETE", "/admin/return-reasons/"+id, nil).Expect(t, 200, `{"id":"`+id+`","object":"return_reason","deleted":true}`)
	e.Do("POST", "/admin/return-reasons", map[string]any{"value": "gone", "label": "Again"}).
		Expect(t, 422, `{"type":"duplicate_error","code":"invalid_request_error","message":"Return_reason with value gone already exists."}`)
	// An empty update writes nothing.
	other := createRR(t, e, map[string]any{"value": "here", "label": "Here"})
	before := e.Do("GET", "/admin/return-reasons/"+other, nil).JSON(t)["return_reason"].(map[string]any)["updated_at"]
	after := e.Do("POST", "/admin/return-reasons/"+other, map[string]any{}).JSON(t)["return_reason"].(map[string]any)["updated_at"]
	if before != after {
		t.Fatalf("empty update changed updated_at: %v → %v", before, after)
	}
}

func TestReturnReasonsMatchSpec(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.Do("POST", "/admin/return-reasons", map[string]any{"value": "p", "label": "P", "metadata": map[string]any{"a": 1}})
	res.MatchesSpec(t, "POST", "/admin/return-reasons")
	parent := res.JSON(t)["return_reason"].(map[string]any)["id"].(string)
	child := createRR(t, e, map[string]any{"value": "c", "label": "C", "description": "d", "parent_return_reason_id": parent})
	e.Do("GET", "/admin/return-reasons", nil).MatchesSpec(t, "GET", "/admin/return-reasons")
	e.Do("GET", "/admin/return-reasons/"+child, nil).MatchesSpec(t, "GET", "/admin/return-reasons/"+child)
	e.Do("POST", "/admin/return-reasons/"+child, map[string]any{"label": "C2"}).MatchesSpec(t, "POST", "/admin/return-reasons/"+child)
	e.Do("DELETE", "/admin/return-reasons/"+parent, nil).MatchesSpec(t, "DELETE", "/admin/return-reasons/"+parent)
}
