package rest_test

import (
	"net/http"

	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	resttest.NewHandler = func(s *store.Store) http.Handler {
		return rest.NewRouter(s, rest.Config{CookieSecret: "test-cookie-secret"}, nil)
	}
}
