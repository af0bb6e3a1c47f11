package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/notes", a.listNotes)
		r.Post("/notes", a.createNote)
		r.Get("/notes/{id}", a.getNote)
		r.Post("/notes/{id}", a.updateNote)
		r.Delete("/notes/{id}", a.deleteNote)
	})
}

// noteJSON is a note whose author was loaded: a missing (deleted) author shows as null, as
// TypeORM's relation does.
type noteJSON struct {
	*model.Note
	Author *model.User `json:"author"`
}

func withAuthor(n *model.Note) noteJSON { return noteJSON{Note: n, Author: n.Author} }

// GET /admin/notes (AdminGetNotesParams: resource_id, limit, offset; no expand or fields).
// Medusa's count is the number of notes on the page, not the total; Gorgon keeps that.
func (a *API) listNotes(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	var f store.NoteFilter
	if id := q.String("resource_id"); id != nil {
		f.ResourceID = *id
	}
	limit, offset := q.Int("limit", 50), q.Int("offset", 0)
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	notes, err := a.store.ListNotes(r.Context(), f, offset, limit)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := make([]noteJSON, len(notes))
	for i, n := range notes {
		out[i] = withAuthor(n)
	}
	writeJSON(w, http.StatusOK, map[string]any{"notes": out, "count": len(out), "offset": offset, "limit": limit})
}

// GET /admin/notes/:id; Medusa reads no query parameters here, so none are refused.
func (a *API) getNote(w http.ResponseWriter, r *http.Request) {
	n, err := a.store.GetNote(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"note": withAuthor(n)})
}

// createNoteRequest is Medusa's AdminPostNotesReq.
type createNoteRequest struct {
	ResourceID   *string `json:"resource_id"`
	ResourceType *string `json:"resource_type"`
	Value        *string `json:"value"`
}

func (a *API) createNote(w http.ResponseWriter, r *http.Request) {
	var in createNoteRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	notEmptyString(&v, "resource_id", in.ResourceID)
	notEmptyString(&v, "resource_type", in.ResourceType)
	notEmptyString(&v, "value", in.Value)
	v.Sort("resource_id", "resource_type", "value")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	n, err := a.store.CreateNote(r.Context(), store.CreateNoteInput{
		ResourceID: *in.ResourceID, ResourceType: *in.ResourceType, Value: *in.Value,
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	// Medusa answers with the saved note, without its author.
	writeJSON(w, http.StatusOK, map[string]any{"note": n})
}

// notEmptyString records class-validator's messages for a property declared @IsString()
// @IsNotEmpty(), which it reports in reverse (IsNotEmpty first), unless decoding already found a
// value of the wrong type (then that is the only message, as IsNotEmpty passes).
func notEmptyString(v *store.Violations, name string, val *string) {
	if v.Has(name) {
		return
	}
	v.Add(val == nil || *val == "", name, name+" should not be empty")
	v.Add(val == nil, name, name+" must be a string")
}

// updateNoteRequest is Medusa's AdminPostNotesNoteReq.
type updateNoteRequest struct {
	Value *string `json:"value"`
}

func (a *API) updateNote(w http.ResponseWriter, r *http.Request) {
	var in updateNoteRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	v.Add(!v.Has("value") && in.Value == nil, "value", "value must be a string")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	n, err := a.store.UpdateNote(r.Context(), chi.URLParam(r, "id"), *in.Value)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"note": withAuthor(n)})
}

func (a *API) deleteNote(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteNote(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "note", Deleted: true})
}
