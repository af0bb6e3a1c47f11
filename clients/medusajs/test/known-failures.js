module.exports = { KNOWN_FAILURES: {} }
