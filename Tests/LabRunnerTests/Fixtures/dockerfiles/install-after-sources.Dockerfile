# expect: manifests-first exec-form
FROM node:22-alpine AS build
WORKDIR /app
COPY package*.json ./
COPY src ./src
RUN npm ci && npm run build

FROM node:22-alpine
COPY --from=build /app/dist /app
USER node
HEALTHCHECK CMD ["wget", "-qO-", "http://127.0.0.1:3000/health"]
ENTRYPOINT node /app/server.js
