# expect: non-root-user
FROM ruby:3.3-slim AS build
WORKDIR /app
COPY Gemfile Gemfile.lock ./
RUN bundle install
COPY . .

FROM ruby:3.3-slim
COPY --from=build /app /app
USER app
RUN apt-get update && apt-get install -y curl
USER root
HEALTHCHECK CMD ["curl", "-f", "http://127.0.0.1:3000/up"]
CMD ["bin/rails", "server"]
