package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ListApps returns the installed OAuth applications (Medusa's oauth rows).
func (s *Store) ListApps(ctx context.Context) ([]*model.Oauth, error) {
	return s.ListAppsWhere(ctx, nil)
}

// ListAppsWhere is ListApps keeping the applications matching where (GraphQL's).
func (s *Store) ListAppsWhere(ctx context.Context, where Where) ([]*model.Oauth, error) {
	apps := []*model.Oauth{}
	q, err := s.applyWhere(s.DB.NewSelect().Model(&apps), "app", where)
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("oauth.id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	return apps, nil
}

// AuthorizeApp is Medusa's OauthService.generateToken: it hands an OAuth code to the plugin that
// registered the application. Gorgon runs no Medusa plugins, so no application has a handler:
// an unknown application is not_found and a known one gets the error Medusa means to give when
// its plugin is missing (Medusa itself fails with a 500 there, resolving the missing service).
func (s *Store) AuthorizeApp(ctx context.Context, applicationName, code, state string) (*model.Oauth, error) {
	app := new(model.Oauth)
	err := s.DB.NewSelect().Model(app).Where("oauth.application_name = ?", applicationName).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Oauth application %s not found", applicationName)
	}
	if err != nil {
		return nil, fmt.Errorf("get app %s: %w", applicationName, err)
	}
	return nil, Invalidf("An OAuth handler for %s could not be found make sure the plugin is installed", app.DisplayName)
}
