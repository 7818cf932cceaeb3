"""django-q2's broker on Redis, for worker clusters on several machines (Q_BROKER=redis).

django-q2's own Redis broker pops a task with BLPOP and never hears of it again: a cluster
killed between the pop and the result loses the task. This one leases it instead, as the
ORM broker does: a dequeued task moves to a sorted set of leases that expire after
Q_RETRY seconds, the monitor acknowledges it once its result is saved in PostgreSQL, and
a lease that expires (its cluster died, was SIGKILLed, lost its machine) puts the task back
at the head of the queue for any cluster to take. Delivery is at least once, like the ORM
broker's; tasks are idempotent, so a task run twice has the effect of one.

Keys, for queue NAME: `django_q:NAME:q` (a list of task ids, oldest first),
`django_q:NAME:q:payload` (id -> signed task), `django_q:NAME:q:lease` (id -> expiry, in
the Redis server's clock, so the machines' clocks need not agree), `django_q:NAME:q:id`.
"""

from __future__ import annotations

import time

import redis
from django_q.brokers.redis_broker import Redis
from django_q.conf import Conf

# KEYS: queue, payloads, leases, id counter. ARGV: payload.
_ENQUEUE = """
local id = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], id, ARGV[1])
redis.call('RPUSH', KEYS[1], id)
return id
"""

# KEYS: queue, payloads, leases. ARGV: lease seconds, most tasks to hand out.
# Expired leases first go back to the head of the queue; then up to ARGV[2] tasks are
# leased. Acknowledged tasks have no payload left and are skipped.
_DEQUEUE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
for i = #expired, 1, -1 do
  redis.call('ZREM', KEYS[3], expired[i])
  redis.call('LPUSH', KEYS[1], expired[i])
end
local handed = {}
local wanted = tonumber(ARGV[2])
while #handed < 2 * wanted do
  local id = redis.call('LPOP', KEYS[1])
  if not id then break end
  local payload = redis.call('HGET', KEYS[2], id)
  if payload then
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), id)
    table.insert(handed, id)
    table.insert(handed, payload)
  end
end
return handed
"""


class LeasingRedis(Redis):
    """Selected by Q_CLUSTER["broker_class"] (settings, Q_BROKER=redis)."""

    def __init__(self, list_key: str | None = None, *, url: str | None = None) -> None:
        self._url = url  # another Redis than Q_CLUSTER's (the jobs benchmark's own)
        super().__init__(list_key=list_key)
        self.payload_key = f"{self.list_key}:payload"
        self.lease_key = f"{self.list_key}:lease"
        self.id_key = f"{self.list_key}:id"
        self._enqueue = self.connection.register_script(_ENQUEUE)
        self._dequeue = self.connection.register_script(_DEQUEUE)

    def get_connection(self, list_key: str | None = None) -> redis.Redis:
        return redis.from_url(self._url) if self._url else Redis.get_connection(list_key)

    def enqueue(self, task: str) -> str:
        keys = [self.list_key, self.payload_key, self.lease_key, self.id_key]
        return str(self._enqueue(keys=keys, args=[task]))

    def dequeue(self) -> list[tuple[str, str]] | None:
        handed = self._dequeue(keys=[self.list_key, self.payload_key, self.lease_key], args=[Conf.RETRY, Conf.BULK])
        if handed:
            return [(_text(handed[i]), _text(handed[i + 1])) for i in range(0, len(handed), 2)]
        time.sleep(Conf.POLL)  # an empty queue: spare the CPU, as the ORM broker does
        return None

    def acknowledge(self, task_id: str) -> None:
        with self.connection.pipeline() as pipe:
            pipe.hdel(self.payload_key, task_id)
            pipe.zrem(self.lease_key, task_id)
            pipe.execute()

    def fail(self, task_id: str) -> None:
        self.acknowledge(task_id)  # an unreadable task is dropped, as the ORM broker drops it

    def delete(self, task_id: str) -> None:
        self.acknowledge(task_id)

    def queue_size(self) -> int:
        return self.connection.llen(self.list_key)

    def lock_size(self) -> int:
        return self.connection.zcard(self.lease_key)

    def purge_queue(self) -> None:
        self.connection.delete(self.list_key, self.payload_key, self.lease_key)

    def delete_queue(self) -> None:
        self.connection.delete(self.list_key, self.payload_key, self.lease_key, self.id_key)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
