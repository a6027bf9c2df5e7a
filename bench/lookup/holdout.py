"""Lookup questions, held-out set (64): templates from `draw` with seed 7919, 8 per system, the dev
draw's templates put last in each pool (so most of these templates are not in the dev set).

Written separately from dev.py, in a terser Slack-chat style (lower case, fragments, "any …?",
« ça arrive souvent ? »). Not to be shown to whoever tunes the engine before it is measured.
Each comment quotes the drawn template's opening (Loghub's words).
"""
from __future__ import annotations

from bench.lookup import LookupQuestion as Q

QUESTIONS = [
    # --- Hadoop -------------------------------------------------------------------------------
    # E10 "Address change detected. Old: … New: …"
    Q("ho-hadoop-ipmoved-en", "en", "Hadoop", ("E10",),
      "hadoop: any nodes whose IP moved while clients were talking to them?", "is_there"),
    # E50 "IPC Server listener on …: starting"
    Q("ho-hadoop-ipcports-fr", "fr", "Hadoop", ("E50",),
      "le listener IPC hadoop a démarré sur quels ports ?", "which"),
    # E44 "Failed to renew lease for [DFSClient_NONMAPREDUCE_…] for … seconds.  Will retry shortly ..."
    Q("ho-hadoop-leaseage-en", "en", "Hadoop", ("E44",),
      "how long has the lease renewal been failing on the dfs client", "how_long"),
    # E85 "Reduce slow start threshold not met. completedMapsForReduceSlowstart …"
    Q("ho-hadoop-reduceswait-fr", "fr", "Hadoop", ("E85",),
      "combien de fois les reduces ont attendu qu'assez de maps finissent ?", "how_many"),
    # E101 "Task: attempt_… - exited : java.net.NoRouteToHostException: No Route to Host from MININT-…";
    # E35 the same, as the attempt's diagnostics report
    Q("ho-hadoop-lostnet-en", "en", "Hadoop", ("E101", "E35"),
      "what happened to the map attempts on the MININT boxes that lost the network?", "what_happened"),
    # E91 "Retrying connect to server: …. Already tried … time(s); retry policy is …"
    Q("ho-hadoop-reconnects-fr", "fr", "Hadoop", ("E91",),
      "combien de nouvelles tentatives de connexion au serveur côté client hadoop ?", "how_many"),
    # E38 "ERROR IN CONTACTING RM."
    Q("ho-hadoop-lostrm-en", "en", "Hadoop", ("E38",),
      "when did the RMContainerAllocator last lose the RM?", "when"),
    # E105 "TaskAttempt: [attempt_…] using containerId: [container_… on NM: […]"
    Q("ho-hadoop-attemptnm-fr", "fr", "Hadoop", ("E105",),
      "sur quel NodeManager tourne chaque tentative de tâche ?", "which"),

    # --- OpenSSH ------------------------------------------------------------------------------
    # E15 "PAM … more authentication failure; logname= uid=… rhost=…" (singular)
    Q("ho-ssh-pamsingle-en", "en", "OpenSSH", ("E15",),
      "any lone PAM auth failures on ssh, a single one rather than a burst?", "is_there"),
    # E24 "Received disconnect from …: …: Bye Bye [preauth]"
    Q("ho-ssh-byecount-fr", "fr", "OpenSSH", ("E24",),
      "ssh : combien de déconnexions 'bye' côté client en preauth ?", "how_many"),
    # E13 "Invalid user … from …"; E12 "input_userauth_request: invalid user … [preauth]";
    # E10 "Failed password for invalid user … from …"
    Q("ho-ssh-fakeusers-en", "en", "OpenSSH", ("E13", "E12", "E10"),
      "which usernames that don't exist were people trying over ssh?", "which"),
    # E18 "PAM service(sshd) ignoring max retries; … > …"
    Q("ho-ssh-pamlimit-fr", "fr", "OpenSSH", ("E18",),
      "pam qui passe outre la limite d'essais sshd, ça arrive souvent ?", "how_many"),
    # E5 "Disconnecting: Too many authentication failures for root [preauth]"
    Q("ho-ssh-rootkicked-en", "en", "OpenSSH", ("E5",),
      "did root get kicked for too many failed auths?", "is_there"),
    # E25 "Received disconnect from …: …: Closed due to user request. [preauth]"; E26 "… disconnected by user"
    Q("ho-ssh-userrequest-fr", "fr", "OpenSSH", ("E25", "E26"),
      "les déconnexions ssh « à la demande de l'utilisateur », elles viennent d'où ?", "which"),
    # E10 "Failed password for invalid user … from … port … ssh2"
    Q("ho-ssh-madeupname-en", "en", "OpenSSH", ("E10",),
      "how many login tries with a made-up username failed on the password?", "how_many"),
    # E17 "PAM … more authentication failures; … user=root"
    Q("ho-ssh-rootburst-fr", "fr", "OpenSSH", ("E17",),
      "y a-t-il des rafales d'échecs pam pour root ?", "is_there"),

    # --- Zookeeper ----------------------------------------------------------------------------
    # E24 "Interrupted while waiting for message on queue"
    Q("ho-zk-queuewait-fr", "fr", "Zookeeper", ("E24",),
      "zk : combien de fois un thread du quorum a été interrompu en attendant un message ?", "how_many"),
    # E46 "Snapshotting: … to …"
    Q("ho-zk-lastsnap-en", "en", "Zookeeper", ("E46",),
      "when did zookeeper last write a snapshot to disk?", "when"),
    # E25 "Interrupting SendWorker"
    Q("ho-zk-sendworker-fr", "fr", "Zookeeper", ("E25",),
      "liste des interruptions de SendWorker côté zookeeper", "list"),
    # E10 "Closed socket connection for client /…:… which had sessionid …"
    Q("ho-zk-closedwithsession-en", "en", "Zookeeper", ("E10",),
      "which zk clients got disconnected after a session had been set up?", "which"),
    # E12 "Connection request from old client /…:…; will be dropped if server is in r-o mode"
    Q("ho-zk-oldclients-fr", "fr", "Zookeeper", ("E12",),
      "des vieux clients zookeeper qui se connectent, on en a ?", "is_there"),
    # E18 "FOLLOWING"; E19 "FOLLOWING - LEADER ELECTION TOOK - …"
    Q("ho-zk-becamefollower-en", "en", "Zookeeper", ("E18", "E19"),
      "which zk servers switched to follower?", "which"),
    # E42 "Send worker leaving thread"
    Q("ho-zk-senderquit-fr", "fr", "Zookeeper", ("E42",),
      "combien de fois un émetteur du quorum zk s'est retiré ?", "how_many"),
    # E31 "Notification time out: …"
    Q("ho-zk-electiontimeout-en", "en", "Zookeeper", ("E31",),
      "did FastLeaderElection notifications time out anywhere?", "is_there"),

    # --- OpenStack ----------------------------------------------------------------------------
    # E42 "Unknown base file: …"
    Q("ho-nova-strangebase-en", "en", "OpenStack", ("E42",),
      "image cache: any base files it doesn't know about?", "is_there"),
    # E28 "Auditing locally available compute resources for node …"
    Q("ho-nova-lastaudit-fr", "fr", "OpenStack", ("E28",),
      "quand nova a-t-il fait l'inventaire des ressources de calcul du nœud pour la dernière fois ?",
      "when"),
    # E32 "Final resource view: name=… phys_ram=… used_ram=… phys_disk=… used_disk=… …"
    Q("ho-nova-trackersummary-en", "en", "OpenStack", ("E32",),
      "openstack: how much memory and storage was taken, per the resource tracker's summary?", "other"),
    # E33 "HTTP exception thrown: No instances found for any event"
    Q("ho-nova-orphanevents-fr", "fr", "OpenStack", ("E33",),
      "combien d'erreurs http côté api nova pour des events orphelins ?", "how_many"),
    # E15 "[instance: …] Took … seconds to spawn the instance on the hypervisor."
    Q("ho-nova-spawntime-en", "en", "OpenStack", ("E15",),
      "how long does the hypervisor take to spawn a vm", "how_long"),
    # E40 "The instance sync for host '…' did not match. Re-created its InstanceList."
    Q("ho-nova-syncmismatch-fr", "fr", "OpenStack", ("E40",),
      "des hôtes dont la liste d'instances ne collait pas à la synchro ?", "is_there"),
    # E7 "[instance: …] During sync_power_state the instance has a pending task (spawning). Skip."
    Q("ho-nova-midbuild-en", "en", "OpenStack", ("E7",),
      "which vms got skipped by nova's periodic power check because they were mid-build?", "which"),
    # E36 "Removable base files: …"
    Q("ho-nova-removable-fr", "fr", "OpenStack", ("E36",),
      "liste des fichiers de base que nova pourrait supprimer", "list"),

    # --- Spark --------------------------------------------------------------------------------
    # E29 "Started reading broadcast variable …"
    Q("ho-spark-lastbroadcast-fr", "fr", "Spark", ("E29",),
      "quand spark a commencé à lire une variable broadcast pour la dernière fois ?", "when"),
    # E4 "Changing modify acls to: …"; E26 "SecurityManager: … users with modify permissions: …"
    Q("ho-spark-modifyacl-en", "en", "Spark", ("E4", "E26"),
      "who's allowed to modify spark apps (acls)?", "which"),
    # E3 "Block … stored as values in memory (estimated size …, free …)"
    Q("ho-spark-deserialized-fr", "fr", "Spark", ("E3",),
      "combien de blocs spark gardés en mémoire sous forme d'objets désérialisés ?", "how_many"),
    # E26 "SecurityManager: authentication disabled; ui acls disabled; …"
    Q("ho-spark-authoff-en", "en", "Spark", ("E26",),
      "is spark auth turned off (SecurityManager)?", "other"),
    # E8 "File Output Committer Algorithm version is …"
    Q("ho-spark-algoversion-fr", "fr", "Spark", ("E8",),
      "c'est quoi la version d'algo du committer de sortie des fichiers spark ?", "other"),
    # E19 "Partition rdd_… not found, computing it"
    Q("ho-spark-fromscratch-en", "en", "Spark", ("E19",),
      "how many rdd partitions did spark have to compute from scratch since they weren't cached?",
      "how_many"),
    # E9 "Finished task … in stage … (TID …). … bytes result sent to driver"
    Q("ho-spark-lasttaskdone-fr", "fr", "Spark", ("E9",),
      "quand la dernière tâche spark s'est-elle terminée ?", "when"),
    # E11 "Got assigned task …"
    Q("ho-spark-handout-en", "en", "Spark", ("E11",),
      "list the tasks handed out to each executor", "list"),

    # --- HDFS ---------------------------------------------------------------------------------
    # E3 "…:…:Got exception while serving blk_… to /…:"
    Q("ho-hdfs-choking-en", "en", "HDFS", ("E3",),
      "hdfs datanodes choking while sending blocks out, which ones?", "which"),
    # E9 "Deleting block blk_… file /…/blk_…"
    Q("ho-hdfs-filesgone-fr", "fr", "HDFS", ("E9",),
      "combien de fichiers blk supprimés sur les datanodes ?", "how_many"),
    # E4 "BLOCK* ask …:… to delete  blk_…"
    Q("ho-hdfs-droporders-en", "en", "HDFS", ("E4",),
      "did the namenode ask any datanode to drop blocks?", "is_there"),
    # E8 "BLOCK* NameSystem.delete: blk_… is added to invalidSet of …"
    Q("ho-hdfs-invalidset-fr", "fr", "HDFS", ("E8",),
      "quels blocs sont partis dans l'invalidSet ?", "which"),
    # E7 "BLOCK* NameSystem.allocateBlock: /…/part-…. blk_…"
    Q("ho-hdfs-newblocks-en", "en", "HDFS", ("E7",),
      "how many new blocks did hdfs allocate for part- files?", "how_many"),
    # E6 "BLOCK* NameSystem.addStoredBlock: blockMap updated: … is added to blk_… size …"
    Q("ho-hdfs-blockmap-fr", "fr", "HDFS", ("E6",),
      "qu'est-ce qui s'est passé dans la blockMap du namenode hdfs ?", "what_happened"),
    # E12 "Received block blk_… src: /…:… dest: /…:… of size …"
    Q("ho-hdfs-fromto-en", "en", "HDFS", ("E12",),
      "any finished block transfers that also log where they came from and went to?", "is_there"),
    # E13 "Receiving block blk_… src: /…:… dest: /…:…"
    Q("ho-hdfs-recvstarts-fr", "fr", "HDFS", ("E13",),
      "combien de réceptions de blocs ont démarré sur les datanodes ?", "how_many"),

    # --- Apache -------------------------------------------------------------------------------
    # E6 "mod_jk child init … …"
    Q("ho-apache-initcodes-en", "en", "Apache", ("E6",),
      "mod_jk init failures, what codes?", "which"),
    # E2 "workerEnv.init() ok …"
    Q("ho-apache-lastenvok-fr", "fr", "Apache", ("E2",),
      "apache : quand est-ce que workerEnv s'est initialisé correctement pour la dernière fois ?",
      "when"),
    # E5 "jk2_init() Can't find child … in scoreboard"
    Q("ho-apache-lostworker-en", "en", "Apache", ("E5",),
      "how many times couldn't apache find a worker process in its slot table?", "how_many"),
    # E1 "jk2_init() Found child … in scoreboard slot …"
    Q("ho-apache-childfound-fr", "fr", "Apache", ("E1",),
      "est-ce que httpd retrouve bien ses processus fils au démarrage de jk2 ?", "is_there"),
    # E3 "mod_jk child workerEnv in error state …"
    Q("ho-apache-jkerrcount-en", "en", "Apache", ("E3",),
      "jk workers in error state: how many?", "how_many"),
    # E4 "[client …] Directory index forbidden by rule: …"
    Q("ho-apache-whynolisting-fr", "fr", "Apache", ("E4",),
      "pourquoi apache interdit le listing de /var/www/html/ ?", "other"),
    # E6 again
    Q("ho-apache-jkchildinit-en", "en", "Apache", ("E6",),
      "what happened to the mod_jk children at init?", "what_happened"),
    # E2 again
    Q("ho-apache-envoklist-fr", "fr", "Apache", ("E2",),
      "liste des workerEnv ok côté apache", "list"),

    # --- BGL ----------------------------------------------------------------------------------
    # E81 "Lustre mount FAILED : bglio… : point …"; E80 "Lustre mount FAILED : bglio… : block_id : location"
    Q("ho-bgl-lustre-en", "en", "BGL", ("E81", "E80"),
      "bgl: which io nodes couldn't get the lustre filesystem up?", "which"),
    # E3 "… double-hummer alignment exceptions"
    Q("ho-bgl-hummer-fr", "fr", "BGL", ("E3",),
      "combien de fautes d'alignement sur le double FPU (hummer) côté BGL ?", "how_many"),
    # E69 "guaranteed instruction cache block touch.…"
    Q("ho-bgl-icachetouch-en", "en", "BGL", ("E69",),
      "what did the core dumps say for the icache touch flag?", "other"),
    # E88 "New ido chip inserted into the database: … ip=… v=… t=…"
    Q("ho-bgl-newido-fr", "fr", "BGL", ("E88",),
      "quelles nouvelles puces ido ont été ajoutées en base ?", "which"),
    # E97 "problem state (…=sup,…=usr).......…"
    Q("ho-bgl-usermode-en", "en", "BGL", ("E97",),
      "were the crashed bgl processes running in user or supervisor mode?", "other"),
    # E89 "NFS Mount failed on bglio…, slept … seconds, retrying (…)"
    Q("ho-bgl-nfsretry-fr", "fr", "BGL", ("E89",),
      "des montages NFS qui ont échoué puis réessayé sur les io nodes ?", "is_there"),
    # E61 "exception syndrome register: …"
    Q("ho-bgl-esr-en", "en", "BGL", ("E61",),
      "list the ESR values bgl kernel dumps reported", "list"),
    # E34 "ciod: generated … core files for program …"
    Q("ho-bgl-lastcores-fr", "fr", "BGL", ("E34",),
      "quand ciod a-t-il sorti des core dumps pour un programme en dernier ?", "when"),
]
