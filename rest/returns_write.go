package rest

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Returns: POST /admin/orders/:id/return (request-return.ts, with Medusa's Idempotency-Key),
// POST /admin/returns/:id/receive and /cancel.

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Post("/orders/{id}/return", a.requestReturn)
		r.Post("/returns/{id}/receive", a.receiveReturn)
		r.Post("/returns/{id}/cancel", a.cancelReturn)
	})
}

// returnItems checks `@IsArray() @ValidateNested({ each: true })` items of OrdersReturnItem
// (item_id IsString IsNotEmpty, quantity IsInt IsNotEmpty with @Type(() => Number), reason_id
// and note IsString, optional) or, with receive, of the receive route's Item (item_id
// IsString, quantity IsNumber).
func returnItems(v *store.Violations, raw json.RawMessage, receive bool) []store.ReturnItemInput {
	const name = "items"
	eachMsg := "each value in nested property " + name + " must be either object or array"
	if raw == nil {
		v.Add(true, name, name+" must be an array")
		return nil
	}
	switch jsonKind(raw) {
	case '[':
	case '{':
		v.Add(true, name, name+" must be an array")
		return nil
	default:
		v.Add(true, name, name+" must be an array")
		v.Add(true, name, eachMsg)
		return nil
	}
	var els []json.RawMessage
	_ = json.Unmarshal(raw, &els)
	known := []string{"item_id", "quantity", "reason_id", "note"}
	if receive {
		known = known[:2]
	}
	out := []store.ReturnItemInput{}
	for _, el := range els {
		switch jsonKind(el) {
		case '{':
		case '[':
			continue
		default:
			v.Add(true, name, eachMsg)
			continue
		}
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(el, &obj)
		for _, k := range objectKeys(el) {
			if !contains(known, k) {
				v.Add(true, name, "property "+k+" should not exist")
			}
		}
		var in store.ReturnItemInput
		ok := true
		if receive {
			id, _ := cvString(v, "item_id", obj["item_id"], true)
			q := cvNumber(v, "quantity", obj["quantity"], true)
			ok = id != nil && q != nil
			if ok {
				in.ItemID, in.Quantity = *id, int(*q)
			}
		} else {
			id := cvNotEmptyString(v, "item_id", obj["item_id"])
			qraw := obj["quantity"]
			// @Type(() => Number): a numeric string is its number.
			var qs string
			if json.Unmarshal(qraw, &qs) == nil && qs != "" {
				qraw = json.RawMessage(qs)
			}
			v.Add(cvEmpty(obj["quantity"]), name, "quantity should not be empty")
			q, _, _ := intValue(v, name, "quantity", qraw, true)
			in.ReasonID, _ = cvString(v, "reason_id", obj["reason_id"], false)
			in.Note, _ = cvString(v, "note", obj["note"], false)
			ok = id != nil && q != nil
			if ok {
				in.ItemID, in.Quantity = *id, *q
			}
		}
		if ok {
			out = append(out, in)
		}
	}
	return out
}

// requestReturnRequest is AdminPostOrdersOrderReturnsReq.
type requestReturnRequest struct {
	Items          json.RawMessage `json:"items"`
	ReturnShipping json.RawMessage `json:"return_shipping"`
	Note           json.RawMessage `json:"note"`
	ReceiveNow     json.RawMessage `json:"receive_now"`
	NoNotification json.RawMessage `json:"no_notification"`
	Refund         json.RawMessage `json:"refund"`
}

// POST /admin/orders/:id/return. The Idempotency-Key header names a key an earlier answer
// gave (a value Medusa did not hand out starts a new key, as in Medusa); the answer carries the
// key, and a finished key answers its recorded response without acting again. note is
// checked and, as in Medusa, not stored.
func (a *API) requestReturn(w http.ResponseWriter, r *http.Request) {
	var body requestReturnRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var in store.RequestReturnInput
	in.Items = returnItems(&v, body.Items, false)
	if !cvNull(body.ReturnShipping) {
		nestedObject(&v, "return_shipping", body.ReturnShipping, map[string]string{"option_id": "string", "price": "int"}, []string{"option_id", "price"})
		var rs struct {
			OptionID *string `json:"option_id"`
			Price    *int    `json:"price"`
		}
		_ = json.Unmarshal(body.ReturnShipping, &rs)
		in.ReturnShipping = &store.ReturnShippingInput{OptionID: rs.OptionID, Price: rs.Price}
	}
	cvString(&v, "note", body.Note, false)
	if b := cvBool(&v, "receive_now", body.ReceiveNow); b != nil {
		in.ReceiveNow = *b
	}
	in.NoNotification = cvBool(&v, "no_notification", body.NoNotification)
	in.Refund, _, _ = intValue(&v, "refund", "refund", body.Refund, false)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	a.idempotentOrderAction(w, r, "/"+id+"/return", func(key string) error {
		return a.store.RequestReturn(r.Context(), id, key, in)
	})
}

// bufferedResponse keeps an answer to record it before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// receiveReturnRequest is AdminPostReturnsReturnReceiveReq.
type receiveReturnRequest struct {
	Items  json.RawMessage `json:"items"`
	Refund json.RawMessage `json:"refund"`
}

// POST /admin/returns/:id/receive answers {return} with its swap (null for an order's return).
func (a *API) receiveReturn(w http.ResponseWriter, r *http.Request) {
	var body receiveReturnRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	items := returnItems(&v, body.Items, true)
	refund := cvNumber(&v, "refund", body.Refund, false)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	if err := a.store.ReceiveReturn(r.Context(), id, items, refund); err != nil {
		writeError(w, r, err)
		return
	}
	ret, err := a.store.ReturnWithSwap(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"return": returnWithSwap{Return: ret, Swap: ret.Swap}})
}

// POST /admin/returns/:id/cancel answers the order the return belongs to.
func (a *API) cancelReturn(w http.ResponseWriter, r *http.Request) {
	orderID, err := a.store.CancelReturn(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, orderID, actionFind)
}

// returnWithSwap is a return as the receive route answers it: its columns and its swap,
// null when it has none.
type returnWithSwap struct {
	*model.Return
	Swap *model.Swap `json:"swap"`
}
