# What an image's labels ask its command for, from `docker image inspect --format
# '{{json .Config.Labels}}'`: one "KIND VALUE" a line, read by run-image and import.sh
# (import_labels). A value with a control character (a newline could start a line of its
# own) or a list that is not a JSON array of strings gives "bad LABEL" instead, so no
# label can add a line. KINDs: name env vol port net dev workdir missing keepuser gui
# priv sound gpu bad.

def plain: type == "string" and (explode | all(.[]; . >= 32 and . != 127));

def text($key; $kind):
  (.[$key] // "") as $value
  | if $value == "" then empty
    elif ($value | plain) then "\($kind) \($value)"
    else "bad \($key)" end;

def list($key; $kind):
  (.[$key] // "") as $raw
  | if $raw == "" then empty
    else (try ($raw | fromjson) catch null) as $items
    | if ($raw | plain) and ($items | type) == "array" and ($items | all(.[]; plain))
      then $items[] | select(. != "") | "\($kind) \(.)"
      else "bad \($key)" end
    end;

def flag($key; $kind):
  if (.[$key] // "") as $value | ["true", "1", "yes"] | index([$value]) then $kind else empty end;

(if type == "object" then . else {} end)
| text("io.whalebrew.name"; "name"),
  list("io.whalebrew.config.environment"; "env"),
  list("io.whalebrew.config.volumes"; "vol"),
  list("io.whalebrew.config.ports"; "port"),
  list("io.whalebrew.config.networks"; "net"),
  list("io.berth.devices"; "dev"),
  text("io.whalebrew.config.working_dir"; "workdir"),
  text("io.whalebrew.config.missing_volumes"; "missing"),
  flag("io.whalebrew.config.keep_container_user"; "keepuser"),
  flag("io.berth.gui"; "gui"),
  flag("io.berth.privileged"; "priv"),
  flag("io.berth.gui.sound"; "sound"),
  flag("io.berth.gui.gpu"; "gpu")
