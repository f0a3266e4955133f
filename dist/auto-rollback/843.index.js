export const id = 843;
export const ids = [843];
export const modules = {

/***/ 7843:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadKubeconfig: () => (/* binding */ loadKubeconfig)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8009);
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9417);
// The part of a kubeconfig a deploy needs: the server, how to trust it, and who we are. Covers what
// the clouds' login steps write: a bearer token (AKS, kind), client certificates (kubeadm, k3s),
// and exec credential plugins (aws eks get-token, gke-gcloud-auth-plugin, kubelogin).




/**
 * Resolves a kubeconfig to one cluster's access. Several files (KUBECONFIG=a:b) merge as kubectl
 * merges them: the first file to name a cluster, user or context, or to set current-context, wins;
 * each entry's relative paths are relative to its own file. `context` overrides current-context.
 */
async function loadKubeconfig(input, options = {}) {
    const files = typeof input === 'string' ? [{ text: input, path: options.path }] : input;
    const clusters = new Map();
    const users = new Map();
    const contexts = new Map();
    let current;
    for (const f of files) {
        let config;
        try {
            config = ((0,yaml__WEBPACK_IMPORTED_MODULE_2__/* .parse */ .qg)(f.text) ?? {});
        }
        catch (error) {
            // Only the first line (what and where): the YAML parser's excerpt quotes the file, credentials included.
            const where = (error.message ?? '').split('\n')[0].replace(/:\s*$/, '');
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr(`the kubeconfig${f.path ? ` ${f.path}` : ''} is not valid YAML: ${where}`);
        }
        const base = f.path ? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(f.path) : process.cwd();
        current ||= config['current-context'] || undefined;
        for (const c of config.clusters ?? [])
            if (!clusters.has(c.name))
                clusters.set(c.name, { value: c.cluster ?? {}, base });
        for (const u of config.users ?? [])
            if (!users.has(u.name))
                users.set(u.name, { value: (u.user ?? {}), base });
        for (const c of config.contexts ?? [])
            if (!contexts.has(c.name))
                contexts.set(c.name, { value: c.context ?? {}, base });
    }
    const contextName = options.context ?? current;
    if (!contextName)
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr('the kubeconfig has no current-context; name one with `kubernetes-context`');
    const context = contexts.get(contextName)?.value;
    if (!context)
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr(`the kubeconfig has no context '${contextName}' (it has ${[...contexts.keys()].join(', ') || 'none'})`);
    const clusterEntry = clusters.get(context.cluster ?? '');
    const cluster = clusterEntry?.value;
    if (!cluster?.server)
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr(`the kubeconfig's context '${contextName}' names cluster '${context.cluster}', which has no server`);
    const userEntry = users.get(context.user ?? '');
    const user = userEntry?.value ?? {};
    const file = (p, base = process.cwd()) => (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(String(p)) ? String(p) : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(base, String(p)));
    const data = async (inline, path, base) => inline ? Buffer.from(String(inline), 'base64') : path ? file(path, base) : undefined;
    const access = {
        server: String(cluster.server).replace(/\/$/, ''),
        namespace: context.namespace,
        ca: await data(cluster['certificate-authority-data'], cluster['certificate-authority'], clusterEntry?.base),
        insecure: cluster['insecure-skip-tls-verify'] === true,
        cert: await data(user['client-certificate-data'], user['client-certificate'], userEntry?.base),
        key: await data(user['client-key-data'], user['client-key'], userEntry?.base),
    };
    if (typeof user.token === 'string')
        access.token = user.token;
    else if (user.tokenFile)
        access.token = (await file(user.tokenFile, userEntry?.base)).toString('utf8').trim();
    else if (user.exec) {
        const refresh = () => execToken(user.exec, options.env ?? process.env);
        const first = await refresh();
        Object.assign(access, { token: first.token, tokenExpiresAt: first.expiresAt, refreshToken: refresh });
    }
    else if (user.username && user.password)
        access.basic = { username: String(user.username), password: String(user.password) };
    if (!access.token && !access.cert && !access.basic)
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr(`the kubeconfig's user '${context.user}' has no token, client certificate or exec plugin this action can use`);
    return access;
}
/** Runs a client-go credential plugin and reads the ExecCredential it prints. */
async function execToken(exec, env) {
    const extra = Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value]));
    let stdout;
    try {
        ({ stdout } = await (0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .execChecked */ .$h)(exec.command, exec.args ?? [], {
            env: {
                ...env,
                ...extra,
                KUBERNETES_EXEC_INFO: JSON.stringify({
                    apiVersion: 'client.authentication.k8s.io/v1beta1',
                    kind: 'ExecCredential',
                    spec: { interactive: false },
                }),
            },
            timeoutMs: 60_000,
        }));
    }
    catch (error) {
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr(`the kubeconfig's credential plugin '${exec.command}' failed: ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(error)}`, {
            cause: error,
        });
    }
    let status;
    try {
        status = JSON.parse(stdout).status;
    }
    catch {
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr(`the kubeconfig's credential plugin '${exec.command}' did not print an ExecCredential (JSON)`);
    }
    if (!status?.token)
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_3__/* .PermanentError */ .Dr(`the kubeconfig's credential plugin '${exec.command}' printed no status.token (client certificates from plugins are not supported)`);
    const expiresAt = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : NaN;
    return { token: status.token, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
}


/***/ })

};
