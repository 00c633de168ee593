# The handler: gets the event (JSON) as $1, prints the answer (here a Lambda proxy response).
handler() {
  EVENT_DATA="$1"
  echo "event received: $EVENT_DATA" 1>&2
  case "$EVENT_DATA" in
    *'"fail":"true"'*) return 1 ;;
  esac
  printf '{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\\"message\\":\\"Hello from a custom runtime!\\"}"}'
}
