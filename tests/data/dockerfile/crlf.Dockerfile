FROM alpine:3.19 AS Base
ENV A=1 \
    B=2
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20231014-r0 \
    musl-dev
CMD ["sh"]
