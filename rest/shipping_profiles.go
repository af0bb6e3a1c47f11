package rest

import (
	"encoding/json"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/shipping-profiles", a.listShippingProfiles)
		r.Post("/shipping-profiles", a.createShippingProfile)
		r.Get("/shipping-profiles/{id}", a.getShippingProfile)
		r.Post("/shipping-profiles/{id}", a.updateShippingProfile)
		r.Delete("/shipping-profiles/{id}", a.deleteShippingProfile)
	})
}

func writeShippingProfile(w http.ResponseWriter, r *http.Request, p *model.ShippingProfile, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shipping_profile": p})
}

// GET /admin/shipping-profiles: Medusa reads no query parameters and answers no count.
func (a *API) listShippingProfiles(w http.ResponseWriter, r *http.Request) {
	profiles, err := a.store.ListShippingProfiles(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shipping_profiles": profiles})
}

// GET /admin/shipping-profiles/:id: with its products and shipping options.
func (a *API) getShippingProfile(w http.ResponseWriter, r *http.Request) {
	p, err := a.store.GetShippingProfile(r.Context(), chi.URLParam(r, "id"), store.ShippingProfileRelations)
	writeShippingProfile(w, r, p, err)
}

// shippingProfileRequest is Medusa's AdminPostShippingProfilesReq and
// AdminPostShippingProfilesProfileReq: a name only.
type shippingProfileRequest struct {
	Name json.RawMessage `json:"name"`
}

// POST /admin/shipping-profiles creates a custom profile (Medusa 1.3.8 answers every create with
// a 500: it stores no type).
func (a *API) createShippingProfile(w http.ResponseWriter, r *http.Request) {
	var body shippingProfileRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	name, _ := cvString(&v, "name", body.Name, true)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.CreateShippingProfile(r.Context(), store.CreateShippingProfileInput{Name: *name})
	writeShippingProfile(w, r, p, err)
}

// POST /admin/shipping-profiles/:id: without relations. A null name is refused (Medusa tries to
// store it: a 500).
func (a *API) updateShippingProfile(w http.ResponseWriter, r *http.Request) {
	var body shippingProfileRequest
	var v store.Violations
	if err := decodeBody(r, &body, &v); err != nil {
		writeError(w, r, err)
		return
	}
	name := nonNullString(&v, "name", body.Name)
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := a.store.UpdateShippingProfile(r.Context(), chi.URLParam(r, "id"), store.UpdateShippingProfileInput{Name: name})
	writeShippingProfile(w, r, p, err)
}

// DELETE /admin/shipping-profiles/:id: a missing profile is no error, as in Medusa; the default
// and gift card profiles cannot be deleted.
func (a *API) deleteShippingProfile(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := a.store.DeleteShippingProfile(r.Context(), id); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deleted{ID: id, Object: "shipping_profile", Deleted: true})
}
