# expect: none
FROM composer:2.8 AS deps
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts
COPY . .

FROM php:8.3-fpm-alpine
COPY --from=deps /app /var/www/html
RUN <<EOF
addgroup -S app
adduser -S app -G app
EOF
USER app
HEALTHCHECK CMD ["php-fpm-healthcheck"]
CMD ["php-fpm"]
