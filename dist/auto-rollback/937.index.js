export const id = 937;
export const ids = [937];
export const modules = {

/***/ 5937:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   connectPostgres: () => (/* binding */ connectPostgres)
/* harmony export */ });
/* harmony import */ var pg__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4945);
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9417);


/** A pg client for one session, retried while the database comes up, with Nagle off. */
async function connectPostgres(databaseUrl, applicationName, ctx) {
    return (0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .retry */ .L5)(async () => {
        const client = new pg__WEBPACK_IMPORTED_MODULE_0__/* ["default"].Client */ .Ay.Client({
            connectionString: databaseUrl,
            application_name: applicationName,
            connectionTimeoutMillis: 10_000,
        });
        client.on('error', (error) => ctx.log.warning(`database connection: ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(error)}`));
        try {
            await client.connect();
            // node-postgres leaves Nagle's algorithm on; with many small statements the delayed ACKs it causes
            // double the time of a migration run.
            client.connection.stream.setNoDelay?.(true);
            return client;
        }
        catch (error) {
            await client.end().catch(() => undefined);
            throw error;
        }
    }, {
        timeoutMs: 30_000,
        what: `connecting to the database at ${hostOf(databaseUrl)}`,
        signal: ctx.signal,
        onRetry: ({ error, delayMs }) => ctx.log.info(`database not reachable yet (${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(error)}); retrying in ${Math.round(delayMs)}ms`),
    });
}
function hostOf(url) {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}/${u.pathname.slice(1)}`;
}


/***/ })

};
