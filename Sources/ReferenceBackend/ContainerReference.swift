import Foundation

/// The container lab's variants: folders whose Dockerfile or .dockerignore is wrong in one way
/// (each caught at its own stage), correct variants written differently, and servers that shut
/// down badly (for the shutdown stage, served with `--lab container --mutant NAME`).
enum ContainerMutant: String, MutantCase {
    case latestBase = "latest-base"
    case untaggedBase = "untagged-base"
    case singleStage = "single-stage"
    case runsAsRoot = "runs-as-root"
    case noHealthcheck = "no-healthcheck"
    case shellFormCommand = "shell-form-cmd"
    case sourcesBeforeManifests = "sources-before-manifests"
    case secretInEnvironment = "secret-in-env"
    case secretBuildArgument = "secret-build-arg"
    case gitNotIgnored = "git-not-ignored"
    case modulesNotIgnored = "node-modules-not-ignored"
    case exitsAtOnce = "exits-at-once"
    case ignoresSIGTERM = "ignores-sigterm"
    case digestPinned = "digest-pinned"
    case numericUser = "numeric-user"

    var stage: String {
        switch self {
        case .latestBase, .untaggedBase, .digestPinned: "dockerfile"
        case .singleStage: "multi-stage"
        case .runsAsRoot, .numericUser: "user"
        case .noHealthcheck: "health"
        case .shellFormCommand: "exec-form"
        case .sourcesBeforeManifests: "layers"
        case .secretInEnvironment, .secretBuildArgument: "secrets"
        case .gitNotIgnored, .modulesNotIgnored: "context"
        case .exitsAtOnce, .ignoresSIGTERM: "shutdown"
        }
    }

    var bug: String {
        switch self {
        case .latestBase: "the build stage starts FROM node:latest"
        case .untaggedBase: "the final stage starts FROM node, with no tag"
        case .singleStage: "one stage builds and runs, so the image holds the whole toolchain"
        case .runsAsRoot: "no USER: the server runs as root"
        case .noHealthcheck: "no HEALTHCHECK"
        case .shellFormCommand: "CMD node dist/server.js, in shell form"
        case .sourcesBeforeManifests: "COPY . . comes before npm ci, so every code change reinstalls the dependencies"
        case .secretInEnvironment: "ENV API_TOKEN=… bakes a token into the image"
        case .secretBuildArgument: "ARG NPM_TOKEN is stored in the image's history"
        case .gitNotIgnored: ".dockerignore leaves .git in the build context"
        case .modulesNotIgnored: "node_modules is in the folder but not in .dockerignore"
        case .exitsAtOnce: "the server dies on SIGTERM, dropping the request it was answering"
        case .ignoresSIGTERM: "the server ignores SIGTERM, so it is killed after 10 s"
        case .digestPinned: "correct: the base image is pinned by digest"
        case .numericUser: "correct: USER 1000:1000 instead of a name"
        }
    }

    var correct: Bool { [.digestPinned, .numericUser].contains(self) }

    /// True for the variants that are a server's behaviour rather than its files.
    var isServer: Bool { [.exitsAtOnce, .ignoresSIGTERM].contains(self) }
}

/// The container lab's reference folder: a Node server's Dockerfile and .dockerignore written
/// with every habit the lab asks for, plus the files a real folder holds (node_modules, .env),
/// so the .dockerignore rule meets them.
enum ContainerReference {
    static func files(_ mutant: ContainerMutant?) -> [String: String] {
        var dockerfile = """
            # syntax=docker/dockerfile:1
            # Build, then run the result in a small image.
            ARG NODE_VERSION=22.11
            FROM node:${NODE_VERSION}-slim AS build
            WORKDIR /app
            COPY package.json package-lock.json ./
            RUN npm ci
            COPY . .
            RUN npm run build \\
                # dev dependencies are not needed at run time
                && npm prune --omit=dev

            FROM node:${NODE_VERSION}-slim
            WORKDIR /app
            ENV NODE_ENV=production \\
                PORT=3000
            COPY --from=build /app/node_modules ./node_modules
            COPY --from=build /app/dist ./dist
            USER node
            EXPOSE 3000
            HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "dist/health.js"]
            CMD ["node", "dist/server.js"]

            """
        var ignore = ".git\nnode_modules\ndist\n.env\n*.pem\n"
        switch mutant {
        case .latestBase:
            dockerfile = dockerfile.replacingOccurrences(of: "FROM node:${NODE_VERSION}-slim AS build", with: "FROM node:latest AS build")
        case .untaggedBase:
            dockerfile = dockerfile.replacingOccurrences(of: "\nFROM node:${NODE_VERSION}-slim\n", with: "\nFROM node\n")
        case .digestPinned:
            dockerfile = dockerfile.replacingOccurrences(
                of: "\nFROM node:${NODE_VERSION}-slim\n",
                with: "\nFROM node@sha256:3e1b7c6d5a4f2e8b9c0d1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d\n")
        case .singleStage:
            dockerfile = """
                FROM node:22.11-slim
                WORKDIR /app
                COPY package.json package-lock.json ./
                RUN npm ci
                COPY . .
                RUN npm run build
                USER node
                HEALTHCHECK CMD ["node", "dist/health.js"]
                CMD ["node", "dist/server.js"]

                """
        case .runsAsRoot: dockerfile = dockerfile.replacingOccurrences(of: "USER node\n", with: "")
        case .numericUser: dockerfile = dockerfile.replacingOccurrences(of: "USER node\n", with: "USER 1000:1000\n")
        case .noHealthcheck:
            dockerfile = dockerfile.replacingOccurrences(of: "HEALTHCHECK --interval=30s --timeout=3s CMD [\"node\", \"dist/health.js\"]\n", with: "")
        case .shellFormCommand:
            dockerfile = dockerfile.replacingOccurrences(of: "CMD [\"node\", \"dist/server.js\"]", with: "CMD node dist/server.js")
        case .sourcesBeforeManifests:
            dockerfile = dockerfile.replacingOccurrences(
                of: "COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .\n", with: "COPY . .\nRUN npm ci\n")
        case .secretInEnvironment:
            dockerfile = dockerfile.replacingOccurrences(of: "    PORT=3000\n", with: "    PORT=3000 \\\n    API_TOKEN=9f8e7d6c5b4a39281706\n")
        case .secretBuildArgument:
            dockerfile = dockerfile.replacingOccurrences(
                of: "WORKDIR /app\nCOPY package.json", with: "WORKDIR /app\nARG NPM_TOKEN\nCOPY package.json")
        case .gitNotIgnored: ignore = ignore.replacingOccurrences(of: ".git\n", with: "")
        case .modulesNotIgnored: ignore = ignore.replacingOccurrences(of: "node_modules\n", with: "")
        case .exitsAtOnce, .ignoresSIGTERM, nil: break
        }
        return [
            "Dockerfile": dockerfile, ".dockerignore": ignore, "package.json": "{\"name\": \"server\", \"scripts\": {\"build\": \"tsc\"}}\n",
            "package-lock.json": "{}\n", "src/server.ts": "// the server\n", "node_modules/.package-lock.json": "{}\n",
            ".env": "API_TOKEN=only-on-this-machine\n",
        ]
    }

    /// Writes the folder of `mutant` (the reference when `nil`) into `folder`.
    static func write(_ mutant: ContainerMutant?, to folder: URL) throws {
        for (path, text) in files(mutant) {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }
}
