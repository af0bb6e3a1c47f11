package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func (a *API) inviteRoutes(r chi.Router) {
	r.Get("/invites", a.listInvites)
	r.Post("/invites", a.createInvite)
	r.Post("/invites/{id}/resend", a.resendInvite)
	r.Delete("/invites/{id}", a.deleteInvite)
}

func (a *API) listInvites(w http.ResponseWriter, r *http.Request) {
	invites, err := a.store.ListInvites(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"invites": invites})
}

// createInviteRequest is Medusa's AdminPostInvitesReq.
type createInviteRequest struct {
	User *string `json:"user" invalid:"must be an email"`
	Role *string `json:"role"`
}

// POST /admin/invites answers a bare 200 "OK", as Medusa's res.sendStatus(200).
func (a *API) createInvite(w http.ResponseWriter, r *http.Request) {
	var in createInviteRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	v.Add(!v.Has("user") && (in.User == nil || !store.IsEmail(*in.User)), "user", "user must be an email")
	v.Add(!v.Has("role") && (in.Role == nil || !store.ValidRole(*in.Role)), "role", "role must be a valid enum value")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	if _, err := a.store.CreateInvite(r.Context(), *in.User, *in.Role); err != nil {
		writeError(w, r, err)
		return
	}
	writeStatusText(w, http.StatusOK)
}

func (a *API) resendInvite(w http.ResponseWriter, r *http.Request) {
	if err := a.store.ResendInvite(r.Context(), chi.URLParam(r, "id")); err != nil {
		writeError(w, r, err)
		return
	}
	writeStatusText(w, http.StatusOK)
}

func (a *API) deleteInvite(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteInvite(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "invite", Deleted: true})
}

// acceptInviteRequest is Medusa's AdminPostInvitesInviteAcceptReq.
type acceptInviteRequest struct {
	Token *string `json:"token"`
	User  *struct {
		FirstName *string `json:"first_name"`
		LastName  *string `json:"last_name"`
		Password  *string `json:"password"`
	} `json:"user"`
}

// POST /admin/invites/accept (no auth).
func (a *API) acceptInvite(w http.ResponseWriter, r *http.Request) {
	var in acceptInviteRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	v.Add(in.Token == nil || *in.Token == "", "token", "token should not be empty")
	v.Add(in.Token == nil, "token", "token must be a string")
	v.Add(in.User == nil, "user", "user should not be empty")
	if in.User != nil {
		v.Add(in.User.FirstName == nil, "first_name", "first_name must be a string")
		v.Add(in.User.LastName == nil, "last_name", "last_name must be a string")
		v.Add(in.User.Password == nil, "password", "password must be a string")
	}
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	_, err := a.store.AcceptInvite(r.Context(), *in.Token, store.AcceptInviteInput{
		FirstName: *in.User.FirstName, LastName: *in.User.LastName, Password: *in.User.Password,
	})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeStatusText(w, http.StatusOK)
}
