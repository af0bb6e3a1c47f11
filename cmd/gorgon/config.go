package main

import (
	"flag"
	"os"
	"strconv"
	"strings"
)

// config is read from Medusa's environment variable names where they exist; flags override.
type config struct {
	DatabaseURL     string
	listenURL       string // the database's URL, also when embedded (for LISTEN connections)
	DatabaseListen  string // DATABASE_LISTEN_URL: a direct connection for LISTEN behind a pooler
	Port            int
	JWTSecret       string
	CookieSecret    string
	AdminCORS       string
	SecureCookies   bool
	DataDir         string
	SalesChannelsFF bool
	UploadDir       string
	UploadURL       string
	TrustedProxies  string
	DBPoolSize      int
	FewerStatements string // DATABASE_FEWER_STATEMENTS: auto, on or off
	Metrics         bool
	PProfAddr       string
	PersistedOnly   bool
}

func envOr(k, def string) string {
	if v, ok := os.LookupEnv(k); ok && v != "" {
		return v
	}
	return def
}

func envBool(k string) bool {
	b, _ := strconv.ParseBool(os.Getenv(k))
	return b
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// loadConfig binds the flags of fs to the environment's defaults; call fs.Parse afterwards.
func loadConfig(fs *flag.FlagSet) *config {
	c := &config{}
	port, _ := strconv.Atoi(envOr("PORT", "9000"))
	pool, _ := strconv.Atoi(os.Getenv("DATABASE_POOL_SIZE"))
	fs.StringVar(&c.DatabaseURL, "database-url", os.Getenv("DATABASE_URL"), "PostgreSQL URL (DATABASE_URL); empty: an embedded cluster under --data-dir")
	fs.StringVar(&c.DatabaseListen, "database-listen-url", os.Getenv("DATABASE_LISTEN_URL"), "PostgreSQL URL of a direct connection for LISTEN when DATABASE_URL goes through a pooler in transaction mode (DATABASE_LISTEN_URL)")
	fs.IntVar(&c.Port, "port", port, "HTTP port (PORT)")
	fs.StringVar(&c.JWTSecret, "jwt-secret", os.Getenv("JWT_SECRET"), "secret signing invite tokens (JWT_SECRET)")
	fs.StringVar(&c.CookieSecret, "cookie-secret", os.Getenv("COOKIE_SECRET"), "secret signing session cookies (COOKIE_SECRET)")
	fs.StringVar(&c.AdminCORS, "admin-cors", os.Getenv("ADMIN_CORS"), "comma list of origins allowed to call the admin API with credentials (ADMIN_CORS)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", envBool("COOKIE_SECURE"), "mark the session cookie Secure (COOKIE_SECURE)")
	fs.StringVar(&c.DataDir, "data-dir", envOr("GORGON_DATA_DIR", ".gorgon"), "where the embedded PostgreSQL keeps its data (GORGON_DATA_DIR)")
	fs.StringVar(&c.UploadDir, "upload-dir", envOr("UPLOAD_DIR", "uploads"), "where uploaded files are kept (UPLOAD_DIR)")
	fs.StringVar(&c.UploadURL, "upload-url", os.Getenv("UPLOAD_URL"), "public base URL of uploaded files (UPLOAD_URL; default http://localhost:PORT/uploads)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", os.Getenv("TRUSTED_PROXIES"), "comma list of proxy addresses or CIDRs whose X-Forwarded-For names the client (TRUSTED_PROXIES); default none")
	fs.IntVar(&c.DBPoolSize, "db-pool-size", pool, "PostgreSQL connections kept open (DATABASE_POOL_SIZE; default 32)")
	fs.StringVar(&c.FewerStatements, "db-fewer-statements", envOr("DATABASE_FEWER_STATEMENTS", "auto"), "read an order in one bigger statement instead of one per depth: auto (when the database's round trip is 5 ms or more), on, off (DATABASE_FEWER_STATEMENTS)")
	metrics := true
	if v, err := strconv.ParseBool(os.Getenv("METRICS")); err == nil {
		metrics = v
	}
	fs.BoolVar(&c.Metrics, "metrics", metrics, "serve Prometheus metrics at /metrics (METRICS; default true)")
	fs.StringVar(&c.PProfAddr, "pprof-addr", os.Getenv("PPROF_ADDR"), "address of a separate listener for net/http/pprof, e.g. 127.0.0.1:6060 (PPROF_ADDR; default off)")
	fs.BoolVar(&c.PersistedOnly, "graphql-persisted-only", envBool("GORGON_GRAPHQL_PERSISTED_ONLY"), "execute only GraphQL documents registered with `gorgon graphql register` (GORGON_GRAPHQL_PERSISTED_ONLY)")
	fs.BoolVar(&c.SalesChannelsFF, "sales-channels", envBool("MEDUSA_FF_SALES_CHANNELS"), "enable the sales channels feature (MEDUSA_FF_SALES_CHANNELS)")
	return c
}
