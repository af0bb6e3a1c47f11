package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Medusa's return-reason routes read no query parameters (no validator, no expand/fields), so
// none are refused.
func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/return-reasons", a.listReturnReasons)
		r.Post("/return-reasons", a.createReturnReason)
		r.Get("/return-reasons/{id}", a.getReturnReason)
		r.Post("/return-reasons/{id}", a.updateReturnReason)
		r.Delete("/return-reasons/{id}", a.deleteReturnReason)
	})
}

// returnReasonJSON is Medusa's return reason response: the columns its routes select
// (defaultAdminReturnReasonsFields, which leave out metadata), then the parent and the children,
// which TypeORM loads with every column.
type returnReasonJSON struct {
	ID                   string                `json:"id"`
	CreatedAt            model.Time            `json:"created_at"`
	UpdatedAt            model.Time            `json:"updated_at"`
	DeletedAt            *model.Time           `json:"deleted_at"`
	Value                string                `json:"value"`
	Label                string                `json:"label"`
	Description          *string               `json:"description"`
	ParentReturnReasonID *string               `json:"parent_return_reason_id"`
	ParentReturnReason   *model.ReturnReason   `json:"parent_return_reason"`
	ReturnReasonChildren []*model.ReturnReason `json:"return_reason_children"`
}

func returnReasonOut(rr *model.ReturnReason) returnReasonJSON {
	return returnReasonJSON{
		ID: rr.ID, CreatedAt: rr.CreatedAt, UpdatedAt: rr.UpdatedAt, DeletedAt: rr.DeletedAt,
		Value: rr.Value, Label: rr.Label, Description: rr.Description, ParentReturnReasonID: rr.ParentReturnReasonID,
		ParentReturnReason: rr.ParentReturnReason, ReturnReasonChildren: rr.ReturnReasonChildren,
	}
}

// GET /admin/return-reasons: every top-level reason with its children, unpaged: {return_reasons}.
func (a *API) listReturnReasons(w http.ResponseWriter, r *http.Request) {
	reasons, err := a.store.ListReturnReasons(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := make([]returnReasonJSON, len(reasons))
	for i, rr := range reasons {
		out[i] = returnReasonOut(rr)
	}
	writeJSON(w, http.StatusOK, map[string]any{"return_reasons": out})
}

func (a *API) getReturnReason(w http.ResponseWriter, r *http.Request) {
	rr, err := a.store.GetReturnReason(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"return_reason": returnReasonOut(rr)})
}

// createReturnReasonRequest is Medusa's AdminPostReturnReasonsReq. Medusa accepts any JSON as
// metadata; Gorgon takes an object (or null) only, the shape every metadata column holds.
type createReturnReasonRequest struct {
	Value                *string        `json:"value"`
	Label                *string        `json:"label"`
	ParentReturnReasonID *string        `json:"parent_return_reason_id"`
	Description          *string        `json:"description"`
	Metadata             map[string]any `json:"metadata"`
}

func (a *API) createReturnReason(w http.ResponseWriter, r *http.Request) {
	var in createReturnReasonRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	v.Add(!v.Has("value") && in.Value == nil, "value", "value must be a string")
	v.Add(!v.Has("label") && in.Label == nil, "label", "label must be a string")
	v.Sort("value", "label", "parent_return_reason_id", "description", "metadata")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	rr, err := a.store.CreateReturnReason(r.Context(), store.CreateReturnReasonInput{
		Value: *in.Value, Label: *in.Label, ParentReturnReasonID: in.ParentReturnReasonID,
		Description: in.Description, Metadata: in.Metadata,
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"return_reason": returnReasonOut(rr)})
}

// updateReturnReasonRequest is Medusa's AdminPostReturnReasonsReasonReq. The fields stay raw so
// that null (clear description or metadata; refused for the NOT NULL label and value, where
// Medusa fails with a 500) differs from absent (keep).
type updateReturnReasonRequest struct {
	Label       json.RawMessage `json:"label"`
	Value       json.RawMessage `json:"value"`
	Description json.RawMessage `json:"description"`
	Metadata    json.RawMessage `json:"metadata"`
}

func (a *API) updateReturnReason(w http.ResponseWriter, r *http.Request) {
	var in updateReturnReasonRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	var up store.UpdateReturnReasonInput
	var ok bool
	if in.Label != nil {
		up.Label, ok = rawString(in.Label)
		v.Add(!ok || up.Label == nil, "label", "label must be a string")
	}
	if in.Value != nil {
		up.Value, ok = rawString(in.Value)
		v.Add(!ok || up.Value == nil, "value", "value must be a string")
	}
	if in.Description != nil {
		up.SetDescription = true
		up.Description, ok = rawString(in.Description)
		v.Add(!ok, "description", "description must be a string")
	}
	if in.Metadata != nil {
		up.SetMetadata = true
		v.Add(json.Unmarshal(in.Metadata, &up.Metadata) != nil, "metadata", "metadata must be an object")
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	rr, err := a.store.UpdateReturnReason(r.Context(), chi.URLParam(r, "id"), up)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"return_reason": returnReasonOut(rr)})
}

// rawString decodes a JSON string or null (nil); ok is false for any other JSON value.
func rawString(raw json.RawMessage) (s *string, ok bool) {
	if string(raw) == "null" {
		return nil, true
	}
	var str string
	if json.Unmarshal(raw, &str) != nil {
		return nil, false
	}
	return &str, true
}

func (a *API) deleteReturnReason(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteReturnReason(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "return_reason", Deleted: true})
}
