package rest

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/apps", a.listApps)
		r.Post("/apps/authorizations", a.authorizeApp)
	})
}

// GET /admin/apps: the installed OAuth applications, unpaged; Medusa reads no query parameters.
func (a *API) listApps(w http.ResponseWriter, r *http.Request) {
	apps, err := a.store.ListApps(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"apps": apps})
}

// authorizeAppRequest is Medusa's AdminPostAppsReq.
type authorizeAppRequest struct {
	ApplicationName *string `json:"application_name"`
	State           *string `json:"state"`
	Code            *string `json:"code"`
}

// POST /admin/apps/authorizations answers {apps: <the app with its new token data>} in Medusa;
// without an OAuth plugin it always ends in an error (see store.AuthorizeApp).
func (a *API) authorizeApp(w http.ResponseWriter, r *http.Request) {
	var in authorizeAppRequest
	var v store.Violations
	if err := decodeBody(r, &in, &v); err != nil {
		writeError(w, r, err)
		return
	}
	notEmptyString(&v, "application_name", in.ApplicationName)
	notEmptyString(&v, "state", in.State)
	notEmptyString(&v, "code", in.Code)
	v.Sort("application_name", "state", "code")
	if err := v.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	app, err := a.store.AuthorizeApp(r.Context(), *in.ApplicationName, *in.Code, *in.State)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"apps": app})
}
