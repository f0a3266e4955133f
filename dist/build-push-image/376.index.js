export const id = 376;
export const ids = [376];
export const modules = {

/***/ 8376:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   sdkEcrApi: () => (/* binding */ sdkEcrApi)
/* harmony export */ });
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9417);

/**
 * EcrApi on @aws-sdk/client-ecr. The SDK is large, so it is imported here, on first use: actions
 * that push nowhere near ECR never load it. Credentials come from the SDK's default chain
 * (aws-actions/configure-aws-credentials sets the environment for it).
 */
async function sdkEcrApi(region, options = {}) {
    const sdk = await __webpack_require__.e(/* import() */ 377).then(__webpack_require__.t.bind(__webpack_require__, 9377, 19));
    const client = new sdk.ECRClient({ region, endpoint: options.endpoint, maxAttempts: options.maxAttempts ?? 5 });
    const explain = (what) => (error) => {
        const e = error;
        throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`ECR ${what} in ${region}: ${e.name ?? 'error'}: ${e.message ?? String(error)}`, {
            cause: error,
        });
    };
    return {
        async getAuthorizationToken(registryIds) {
            const out = await client
                .send(new sdk.GetAuthorizationTokenCommand({ registryIds }))
                .catch(explain('GetAuthorizationToken'));
            return (out.authorizationData ?? []).map((d) => ({
                authorizationToken: d.authorizationToken ?? '',
                proxyEndpoint: d.proxyEndpoint ?? '',
                expiresAt: d.expiresAt,
            }));
        },
        async repositoryExists(registryId, name) {
            try {
                await client.send(new sdk.DescribeRepositoriesCommand({ registryId, repositoryNames: [name] }));
                return true;
            }
            catch (error) {
                if (error.name === 'RepositoryNotFoundException')
                    return false;
                return explain('DescribeRepositories')(error);
            }
        },
        async createRepository(registryId, name, settings) {
            await client
                .send(new sdk.CreateRepositoryCommand({
                registryId,
                repositoryName: name,
                imageTagMutability: settings.immutableTags ? 'IMMUTABLE' : 'MUTABLE',
                imageScanningConfiguration: { scanOnPush: settings.scanOnPush },
            }))
                .catch((error) => {
                // Another job created it in the meantime: that is the outcome we wanted.
                if (error.name === 'RepositoryAlreadyExistsException')
                    return;
                return explain('CreateRepository')(error);
            });
        },
    };
}


/***/ })

};
