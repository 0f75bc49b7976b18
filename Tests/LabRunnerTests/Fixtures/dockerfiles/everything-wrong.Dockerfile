# expect: pinned-base multi-stage non-root-user healthcheck exec-form manifests-first no-secrets-in-image
FROM node
ENV NODE_ENV=production GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ0123456789
ARG DB_PASSWORD
WORKDIR /app
COPY . .
RUN npm ci
CMD npm start
